-- Space metadata (description, organization, tags, Marketplace fields) with
-- empty defaults for existing spaces, spaces without a creator (made by the
-- administrator), and the support parameters of each support, which start
-- with accounting and directory statistics off for existing supports.

-- CreateEnum
CREATE TYPE "DirStatsServiceStatus" AS ENUM ('initializing', 'enabled', 'stopping', 'disabled');

-- AlterTable
ALTER TABLE "spaces" ADD COLUMN     "advertised_in_marketplace" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "marketplace_contact_email" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "organization_name" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "creator_type" DROP NOT NULL,
ALTER COLUMN "creator_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "supports" ADD COLUMN     "accounting_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dir_stats_service_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dir_stats_service_status" "DirStatsServiceStatus" NOT NULL DEFAULT 'disabled';
