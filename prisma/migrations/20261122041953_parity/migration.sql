-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TokenType" ADD VALUE 'user_join_space';
ALTER TYPE "TokenType" ADD VALUE 'support_space';

-- DropIndex
DROP INDEX "supports_provider_id_idx";

-- DropIndex
DROP INDEX "tokens_subject_type_subject_id_idx";

-- AlterTable
ALTER TABLE "tokens" ADD COLUMN     "privileges" "SpacePrivilege"[] DEFAULT ARRAY[]::"SpacePrivilege"[];

-- CreateIndex
CREATE INDEX "supports_provider_id_space_id_idx" ON "supports"("provider_id", "space_id");

-- CreateIndex
CREATE INDEX "tokens_subject_type_subject_id_id_idx" ON "tokens"("subject_type", "subject_id", "id");
