-- Zone privileges of users (administration over spaces), none by default.

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "oz_privileges" INTEGER NOT NULL DEFAULT 0;
