CREATE TABLE "verified_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"signed_sha256" text NOT NULL,
	"kind" text NOT NULL,
	"size" integer NOT NULL,
	"page_count" integer,
	"unit_code" text NOT NULL,
	"unit_id" integer NOT NULL,
	"month" date NOT NULL,
	"certificate_id" uuid NOT NULL,
	"signing_time" timestamp with time zone NOT NULL,
	"time_source" text NOT NULL,
	"signatures" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verified_documents_kind_check" CHECK ("verified_documents"."kind" in ('pdf','attached','detached')),
	CONSTRAINT "verified_documents_time_source_check" CHECK ("verified_documents"."time_source" in ('timestamp','signingTime'))
);
--> statement-breakpoint
ALTER TABLE "verified_documents" ADD CONSTRAINT "verified_documents_unit_id_admin_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."admin_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verified_documents" ADD CONSTRAINT "verified_documents_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "verified_documents_sha256_idx" ON "verified_documents" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "verified_documents_signed_sha256_idx" ON "verified_documents" USING btree ("signed_sha256");--> statement-breakpoint
CREATE INDEX "verified_documents_unit_month_idx" ON "verified_documents" USING btree ("unit_code","month");--> statement-breakpoint
CREATE INDEX "verified_documents_month_idx" ON "verified_documents" USING btree ("month","unit_code");--> statement-breakpoint
CREATE INDEX "verified_documents_unit_idx" ON "verified_documents" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "verified_documents_created_idx" ON "verified_documents" USING btree ("created_at","id");