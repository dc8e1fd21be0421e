-- The data version: one row, advanced by every statement that writes a table the cached reads depend on, in
-- the writing transaction (src/db/data-version-sql.ts). The function and triggers are written by hand: a new
-- table that cached reads depend on gets the same CREATE TRIGGER line in its own migration.
CREATE TABLE "data_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "data_version_single_row_check" CHECK ("data_version"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "data_version" ("id", "version") VALUES (1, 1);--> statement-breakpoint
CREATE FUNCTION "advance_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "admin_units_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "admin_units" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "unit_lineage_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "unit_lineage" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "certificates_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "certificates" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "crls_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "crls" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "crl_entries_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "crl_entries" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "ca_certificates_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ca_certificates" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();--> statement-breakpoint
CREATE TRIGGER "signing_activity_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signing_activity" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();
--> statement-breakpoint
CREATE TRIGGER "verified_documents_data_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "verified_documents" FOR EACH STATEMENT EXECUTE FUNCTION "advance_data_version"();
