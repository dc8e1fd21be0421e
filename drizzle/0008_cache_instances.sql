-- Instances whose read caches take the data version from notifications instead of a query per read
-- (src/db/version-watch.ts). advance_data_version() now also announces the new version on the channel
-- kyso_data_version; PostgreSQL delivers it when the writing transaction commits.
CREATE TABLE "cache_instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seen" bigint NOT NULL,
	"lease_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "advance_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  advanced bigint;
BEGIN
  UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO advanced;
  PERFORM pg_notify('kyso_data_version', advanced::text);
  RETURN NULL;
END
$$;
