DROP INDEX "certificates_unit_kind_validity_idx";--> statement-breakpoint
DROP INDEX "certificates_not_after_idx";--> statement-breakpoint
CREATE INDEX "certificates_coverage_idx" ON "certificates" USING btree ("unit_code","kind","not_after","not_before","revoked_at");--> statement-breakpoint
CREATE INDEX "certificates_kind_not_after_idx" ON "certificates" USING btree ("kind","not_after","unit_code","not_before","revoked_at","id");--> statement-breakpoint
CREATE INDEX "certificates_created_idx" ON "certificates" USING btree ("created_at","id");