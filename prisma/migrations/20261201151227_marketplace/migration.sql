-- Membership requests through the Space Marketplace: one row per user and space, pending or rejected.

-- CreateEnum
CREATE TYPE "MembershipRequestStatus" AS ENUM ('pending', 'rejected');

-- CreateTable
CREATE TABLE "space_membership_requests" (
    "id" TEXT NOT NULL,
    "space_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "MembershipRequestStatus" NOT NULL DEFAULT 'pending',
    "contact_email" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "rejection_reason" TEXT NOT NULL DEFAULT '',
    "last_activity" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_membership_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "space_membership_requests_space_id_status_id_idx" ON "space_membership_requests"("space_id", "status", "id");

-- CreateIndex
CREATE INDEX "space_membership_requests_user_id_status_last_activity_idx" ON "space_membership_requests"("user_id", "status", "last_activity");

-- CreateIndex
CREATE UNIQUE INDEX "space_membership_requests_space_id_user_id_key" ON "space_membership_requests"("space_id", "user_id");

-- AddForeignKey
ALTER TABLE "space_membership_requests" ADD CONSTRAINT "space_membership_requests_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_membership_requests" ADD CONSTRAINT "space_membership_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
