-- Units become dated versions: a code may name several units over time. Every existing unit, certificate
-- and activity row is kept: each unit becomes one version (its new id), and certificates and activity
-- point at the version of their code.
ALTER TABLE "certificates" DROP CONSTRAINT "certificates_unit_code_admin_units_code_fk";--> statement-breakpoint
ALTER TABLE "signing_activity" DROP CONSTRAINT "signing_activity_unit_code_admin_units_code_fk";--> statement-breakpoint
ALTER TABLE "admin_units" DROP CONSTRAINT "admin_units_pkey";--> statement-breakpoint
ALTER TABLE "admin_units" ADD COLUMN "id" serial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_units" ADD COLUMN "committee_id" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "admin_units" SET "committee_id" = "id";--> statement-breakpoint
ALTER TABLE "admin_units" ADD COLUMN "place_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
UPDATE "admin_units" SET "place_codes" = array_remove(array["code", "district_code", "province_code"], NULL);--> statement-breakpoint
ALTER TABLE "admin_units" ADD CONSTRAINT "admin_units_code_from_key" UNIQUE NULLS NOT DISTINCT("code","valid_from");--> statement-breakpoint
ALTER TABLE "admin_units" ADD CONSTRAINT "admin_units_validity_check" CHECK ("admin_units"."valid_from" is null or "admin_units"."valid_to" is null or "admin_units"."valid_from" <= "admin_units"."valid_to");--> statement-breakpoint
CREATE INDEX "admin_units_committee_idx" ON "admin_units" USING btree ("committee_id");--> statement-breakpoint
CREATE TABLE "unit_lineage" (
	"old_id" integer NOT NULL,
	"new_id" integer NOT NULL,
	"share" text NOT NULL,
	CONSTRAINT "unit_lineage_old_id_new_id_pk" PRIMARY KEY("old_id","new_id"),
	CONSTRAINT "unit_lineage_share_check" CHECK ("unit_lineage"."share" in ('whole','part','unchanged'))
);
--> statement-breakpoint
ALTER TABLE "unit_lineage" ADD CONSTRAINT "unit_lineage_old_id_admin_units_id_fk" FOREIGN KEY ("old_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_lineage" ADD CONSTRAINT "unit_lineage_new_id_admin_units_id_fk" FOREIGN KEY ("new_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unit_lineage_new_idx" ON "unit_lineage" USING btree ("new_id");--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "unit_id" integer;--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "committee_id" integer;--> statement-breakpoint
UPDATE "certificates" c SET "unit_id" = u."id", "committee_id" = u."committee_id" FROM "admin_units" u WHERE u."code" = c."unit_code";--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "unit_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ALTER COLUMN "committee_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "signing_activity" ADD COLUMN "unit_id" integer;--> statement-breakpoint
UPDATE "signing_activity" a SET "unit_id" = u."id" FROM "admin_units" u WHERE u."code" = a."unit_code";--> statement-breakpoint
ALTER TABLE "signing_activity" ALTER COLUMN "unit_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_unit_id_admin_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_activity" ADD CONSTRAINT "signing_activity_unit_id_admin_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DROP INDEX "certificates_coverage_idx";--> statement-breakpoint
DROP INDEX "certificates_kind_not_after_idx";--> statement-breakpoint
CREATE INDEX "certificates_unit_idx" ON "certificates" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "certificates_unit_code_idx" ON "certificates" USING btree ("unit_code");--> statement-breakpoint
CREATE INDEX "signing_activity_unit_idx" ON "signing_activity" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "certificates_coverage_idx" ON "certificates" USING btree ("committee_id","kind","not_after","not_before","revoked_at");--> statement-breakpoint
CREATE INDEX "certificates_kind_not_after_idx" ON "certificates" USING btree ("kind","not_after","committee_id","not_before","revoked_at","id");
