CREATE TABLE "notify_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"enqueued_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"certificate_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notify_jobs_status_check" CHECK ("notify_jobs"."status" in ('pending','delivered','failed'))
);
--> statement-breakpoint
CREATE TABLE "notify_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"url" text,
	"secret" text,
	"addresses" text[],
	"scope" text[] NOT NULL,
	"expiry_days" integer[] NOT NULL,
	"digest_every" text,
	"digest_hour" integer,
	"coverage_alerts" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notify_subscriptions_channel_check" CHECK ("notify_subscriptions"."channel" in ('webhook','email')),
	CONSTRAINT "notify_subscriptions_digest_check" CHECK ("notify_subscriptions"."digest_every" is null or "notify_subscriptions"."digest_every" in ('day','week'))
);
--> statement-breakpoint
CREATE TABLE "notify_unit_state" (
	"subscription_id" uuid NOT NULL,
	"unit_code" text NOT NULL,
	"covered" boolean NOT NULL,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "notify_unit_state_subscription_id_unit_code_pk" PRIMARY KEY("subscription_id","unit_code")
);
--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD CONSTRAINT "notify_deliveries_job_id_notify_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."notify_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD CONSTRAINT "notify_deliveries_subscription_id_notify_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."notify_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_jobs" ADD CONSTRAINT "notify_jobs_subscription_id_notify_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."notify_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_unit_state" ADD CONSTRAINT "notify_unit_state_subscription_id_notify_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."notify_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notify_deliveries_subscription_idx" ON "notify_deliveries" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "notify_jobs_key_idx" ON "notify_jobs" USING btree ("subscription_id","key");--> statement-breakpoint
CREATE INDEX "notify_jobs_pending_idx" ON "notify_jobs" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notify_jobs_subscription_due_idx" ON "notify_jobs" USING btree ("subscription_id","due_at","id");--> statement-breakpoint
CREATE INDEX "notify_jobs_certificate_idx" ON "notify_jobs" USING btree ("certificate_id");