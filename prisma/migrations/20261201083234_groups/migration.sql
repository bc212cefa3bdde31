-- CreateEnum
CREATE TYPE "GroupType" AS ENUM ('organization', 'unit', 'team', 'role_holders');

-- AlterEnum (PostgreSQL 12 or later: several values in one migration)
ALTER TYPE "TokenType" ADD VALUE 'user_join_group';
ALTER TYPE "TokenType" ADD VALUE 'group_join_group';
ALTER TYPE "TokenType" ADD VALUE 'group_join_space';

-- Privileges become bitmasks of the 39-privilege catalogue (bit = alphabetical
-- position). Stored sets are upgraded: one holding every v1 privilege gets all 39,
-- one holding the v1 manager level gets the manager level, one holding the v1
-- member level gets space_view_transfers (new in the member level).
ALTER TABLE "memberships" ADD COLUMN "privileges_mask" BIGINT;
UPDATE "memberships" SET "privileges_mask" = CASE
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data', 'space_view_privileges', 'space_add_user', 'space_remove_user', 'space_update', 'space_delete', 'space_set_privileges', 'space_add_support', 'space_remove_support']::"SpacePrivilege"[] THEN 549755813887
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data', 'space_view_privileges', 'space_add_user', 'space_remove_user']::"SpacePrivilege"[] THEN (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text) | 549314733387
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data']::"SpacePrivilege"[] THEN (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text) | 68719476736
    ELSE (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text)
  END;
ALTER TABLE "memberships" DROP COLUMN "privileges";
ALTER TABLE "memberships" RENAME COLUMN "privileges_mask" TO "privileges";
ALTER TABLE "memberships" ALTER COLUMN "privileges" SET NOT NULL;

ALTER TABLE "tokens" ADD COLUMN "group_id" TEXT,
ADD COLUMN "group_privileges" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "privileges_mask" BIGINT NOT NULL DEFAULT 0;
UPDATE "tokens" SET "privileges_mask" = CASE
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data', 'space_view_privileges', 'space_add_user', 'space_remove_user', 'space_update', 'space_delete', 'space_set_privileges', 'space_add_support', 'space_remove_support']::"SpacePrivilege"[] THEN 549755813887
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data', 'space_view_privileges', 'space_add_user', 'space_remove_user']::"SpacePrivilege"[] THEN (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text) | 549314733387
    WHEN "privileges" @> ARRAY['space_view', 'space_read_data', 'space_write_data']::"SpacePrivilege"[] THEN (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text) | 68719476736
    ELSE (SELECT coalesce(sum(1::bigint << b.bit), 0)::bigint FROM unnest("privileges") AS p(name) JOIN (VALUES ('space_add_group', 0), ('space_add_harvester', 1), ('space_add_support', 2), ('space_add_user', 3), ('space_cancel_eviction', 4), ('space_cancel_replication', 5), ('space_create_archives', 6), ('space_delete', 7), ('space_manage_archives', 8), ('space_manage_atm_workflow_executions', 9), ('space_manage_datasets', 10), ('space_manage_in_marketplace', 11), ('space_manage_qos', 12), ('space_manage_shares', 13), ('space_manage_views', 14), ('space_query_views', 15), ('space_read_data', 16), ('space_recall_archives', 17), ('space_register_files', 18), ('space_remove_archives', 19), ('space_remove_group', 20), ('space_remove_harvester', 21), ('space_remove_support', 22), ('space_remove_user', 23), ('space_schedule_atm_workflow_executions', 24), ('space_schedule_eviction', 25), ('space_schedule_replication', 26), ('space_set_privileges', 27), ('space_update', 28), ('space_view', 29), ('space_view_archives', 30), ('space_view_atm_workflow_executions', 31), ('space_view_changes_stream', 32), ('space_view_privileges', 33), ('space_view_qos', 34), ('space_view_statistics', 35), ('space_view_transfers', 36), ('space_view_views', 37), ('space_write_data', 38)) AS b(name, bit) ON b.name = p.name::text)
  END WHERE cardinality("privileges") > 0;
ALTER TABLE "tokens" DROP COLUMN "privileges";
ALTER TABLE "tokens" RENAME COLUMN "privileges_mask" TO "privileges";


-- DropEnum
DROP TYPE "SpacePrivilege";

-- CreateTable
CREATE TABLE "groups" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "GroupType" NOT NULL DEFAULT 'team',
    "creator_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_users" (
    "group_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "privileges" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_users_pkey" PRIMARY KEY ("group_id","user_id")
);

-- CreateTable
CREATE TABLE "group_children" (
    "parent_id" TEXT NOT NULL,
    "child_id" TEXT NOT NULL,
    "privileges" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_children_pkey" PRIMARY KEY ("parent_id","child_id")
);

-- CreateTable
CREATE TABLE "space_groups" (
    "space_id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "privileges" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_groups_pkey" PRIMARY KEY ("space_id","group_id")
);

-- CreateTable
CREATE TABLE "space_eff_users" (
    "space_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "privileges" BIGINT NOT NULL,
    "owner" BOOLEAN NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "via" TEXT[],

    CONSTRAINT "space_eff_users_pkey" PRIMARY KEY ("space_id","user_id")
);

-- CreateTable
CREATE TABLE "space_eff_groups" (
    "space_id" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "privileges" BIGINT NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "via" TEXT[],

    CONSTRAINT "space_eff_groups_pkey" PRIMARY KEY ("space_id","group_id")
);

-- CreateTable
CREATE TABLE "group_eff_users" (
    "group_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "privileges" INTEGER NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "via" TEXT[],

    CONSTRAINT "group_eff_users_pkey" PRIMARY KEY ("group_id","user_id")
);

-- CreateTable
CREATE TABLE "group_eff_children" (
    "group_id" TEXT NOT NULL,
    "child_id" TEXT NOT NULL,
    "privileges" INTEGER NOT NULL,
    "direct" BOOLEAN NOT NULL,
    "via" TEXT[],

    CONSTRAINT "group_eff_children_pkey" PRIMARY KEY ("group_id","child_id")
);

-- CreateIndex
CREATE INDEX "group_users_user_id_group_id_idx" ON "group_users"("user_id", "group_id");

-- CreateIndex
CREATE INDEX "group_children_child_id_parent_id_idx" ON "group_children"("child_id", "parent_id");

-- CreateIndex
CREATE INDEX "space_groups_group_id_space_id_idx" ON "space_groups"("group_id", "space_id");

-- CreateIndex
CREATE INDEX "space_eff_users_user_id_space_id_idx" ON "space_eff_users"("user_id", "space_id");

-- CreateIndex
CREATE INDEX "space_eff_groups_group_id_space_id_idx" ON "space_eff_groups"("group_id", "space_id");

-- CreateIndex
CREATE INDEX "group_eff_users_user_id_group_id_idx" ON "group_eff_users"("user_id", "group_id");

-- CreateIndex
CREATE INDEX "group_eff_children_child_id_group_id_idx" ON "group_eff_children"("child_id", "group_id");

-- CreateIndex
CREATE INDEX "tokens_group_id_idx" ON "tokens"("group_id");

-- AddForeignKey
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_users" ADD CONSTRAINT "group_users_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_users" ADD CONSTRAINT "group_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_children" ADD CONSTRAINT "group_children_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_children" ADD CONSTRAINT "group_children_child_id_fkey" FOREIGN KEY ("child_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_groups" ADD CONSTRAINT "space_groups_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_groups" ADD CONSTRAINT "space_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_eff_users" ADD CONSTRAINT "space_eff_users_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_eff_users" ADD CONSTRAINT "space_eff_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_eff_groups" ADD CONSTRAINT "space_eff_groups_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_eff_groups" ADD CONSTRAINT "space_eff_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_eff_users" ADD CONSTRAINT "group_eff_users_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_eff_users" ADD CONSTRAINT "group_eff_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_eff_children" ADD CONSTRAINT "group_eff_children_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_eff_children" ADD CONSTRAINT "group_eff_children_child_id_fkey" FOREIGN KEY ("child_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing memberships are the first effective memberships (there are no groups yet).
INSERT INTO "space_eff_users" ("space_id", "user_id", "privileges", "owner", "direct", "via")
SELECT "space_id", "user_id", "privileges", "owner", true, '{}' FROM "memberships";
