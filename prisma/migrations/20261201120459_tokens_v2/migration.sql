-- AlterEnum
ALTER TYPE "TokenType" ADD VALUE 'identity';

-- Named tokens: every existing token becomes a named token of version 1, named
-- after its type and id, with the time limit it was minted with as its caveat.
ALTER TABLE "tokens" ADD COLUMN     "caveats" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "custom_metadata" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "name" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

UPDATE "tokens" SET "name" = "type"::text || ' ' || "id",
  "caveats" = CASE WHEN "valid_until" IS NULL THEN ARRAY[]::TEXT[]
    ELSE ARRAY['time < ' || floor(extract(epoch FROM "valid_until"))::bigint::text] END;

ALTER TABLE "tokens" ALTER COLUMN "name" SET NOT NULL;

-- CreateTable
CREATE TABLE "temporary_token_generations" (
    "subject_type" "CallerType" NOT NULL,
    "subject_id" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "temporary_token_generations_pkey" PRIMARY KEY ("subject_type","subject_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tokens_subject_type_subject_id_name_key" ON "tokens"("subject_type", "subject_id", "name");
