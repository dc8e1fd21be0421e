CREATE TABLE "admin_units" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"bare_key" text NOT NULL,
	"type" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"district_code" text,
	"province_code" text,
	"valid_from" date,
	"valid_to" date,
	CONSTRAINT "admin_units_level_check" CHECK ("admin_units"."level" in ('province','district','commune'))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"scope" text[],
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_role_check" CHECK ("api_tokens"."role" in ('admin','registrar','viewer'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ca_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role" text NOT NULL,
	"fingerprint_sha256" text NOT NULL,
	"der" "bytea" NOT NULL,
	"subject_dn" text NOT NULL,
	"issuer_dn" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ca_certificates_role_check" CHECK ("ca_certificates"."role" in ('anchor','intermediate'))
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint_sha256" text NOT NULL,
	"der" "bytea" NOT NULL,
	"serial_number" text NOT NULL,
	"subject" jsonb NOT NULL,
	"subject_dn" text NOT NULL,
	"issuer_dn" text NOT NULL,
	"issuer_key" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"unit_code" text NOT NULL,
	"kind" text NOT NULL,
	"device" text,
	"key_algorithm" text NOT NULL,
	"key_size" integer NOT NULL,
	"signature_algorithm" text NOT NULL,
	"matched_by" text NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_kind_check" CHECK ("certificates"."kind" in ('organization','individual'))
);
--> statement-breakpoint
CREATE TABLE "crl_entries" (
	"issuer_key" text NOT NULL,
	"serial_number" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"reason" text,
	CONSTRAINT "crl_entries_issuer_key_serial_number_pk" PRIMARY KEY("issuer_key","serial_number")
);
--> statement-breakpoint
CREATE TABLE "crls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint_sha256" text NOT NULL,
	"issuer_dn" text NOT NULL,
	"issuer_key" text NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone,
	"entries" integer NOT NULL,
	"der" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_activity" (
	"unit_code" text NOT NULL,
	"month" date NOT NULL,
	"documents_signed" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signing_activity_unit_code_month_pk" PRIMARY KEY("unit_code","month"),
	CONSTRAINT "signing_activity_documents_check" CHECK ("signing_activity"."documents_signed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_unit_code_admin_units_code_fk" FOREIGN KEY ("unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_activity" ADD CONSTRAINT "signing_activity_unit_code_admin_units_code_fk" FOREIGN KEY ("unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_units_parent_idx" ON "admin_units" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "admin_units_district_idx" ON "admin_units" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "admin_units_province_level_idx" ON "admin_units" USING btree ("province_code","level");--> statement-breakpoint
CREATE INDEX "admin_units_bare_key_idx" ON "admin_units" USING btree ("bare_key");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "ca_certificates_fingerprint_idx" ON "ca_certificates" USING btree ("fingerprint_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_fingerprint_idx" ON "certificates" USING btree ("fingerprint_sha256");--> statement-breakpoint
CREATE INDEX "certificates_unit_kind_validity_idx" ON "certificates" USING btree ("unit_code","kind","not_before","not_after");--> statement-breakpoint
CREATE INDEX "certificates_issuer_serial_idx" ON "certificates" USING btree ("issuer_key","serial_number");--> statement-breakpoint
CREATE INDEX "certificates_not_after_idx" ON "certificates" USING btree ("not_after");--> statement-breakpoint
CREATE UNIQUE INDEX "crls_fingerprint_idx" ON "crls" USING btree ("fingerprint_sha256");--> statement-breakpoint
CREATE INDEX "signing_activity_month_idx" ON "signing_activity" USING btree ("month");