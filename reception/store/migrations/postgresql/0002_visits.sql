-- Schema version 2: the visitor desk (appointments, visits, watch list, incidents).
-- PostgreSQL form of the SQLite step of the same number (same tables, columns and indexes;
-- SERIAL ids, TIMESTAMP, BOOLEAN). Frozen like it once released.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "appointment" ("id" SERIAL NOT NULL PRIMARY KEY, "visitor_name" VARCHAR(50) NOT NULL, "visitor_phone" VARCHAR(40) NOT NULL, "party_size" INTEGER NOT NULL, "expected_at" TIMESTAMP NOT NULL, "resident_id" INTEGER, "staff_host" VARCHAR(50) NOT NULL, "purpose" VARCHAR(100) NOT NULL, "booked_by" VARCHAR(50) NOT NULL, "status" VARCHAR(10) NOT NULL, "created_by_id" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "appointment_expected_at" ON "appointment" ("expected_at");
CREATE INDEX "appointment_resident_id" ON "appointment" ("resident_id");
CREATE INDEX "appointment_status" ON "appointment" ("status");
CREATE INDEX "appointment_created_by_id" ON "appointment" ("created_by_id");
CREATE TABLE "visit" ("id" SERIAL NOT NULL PRIMARY KEY, "serial" VARCHAR(20) NOT NULL, "kind" VARCHAR(10) NOT NULL, "arrived_at" TIMESTAMP NOT NULL, "operator_id" INTEGER NOT NULL, "resident_id" INTEGER, "purpose" VARCHAR(100) NOT NULL, "department_id" INTEGER, "handled" TEXT NOT NULL, "taken_over_by" VARCHAR(50) NOT NULL, "visitor_name" VARCHAR(50) NOT NULL, "visitor_phone" VARCHAR(40) NOT NULL, "party_size" INTEGER NOT NULL, "plate" VARCHAR(12) NOT NULL, "id_type" VARCHAR(20) NOT NULL, "id_masked" VARCHAR(40) NOT NULL, "id_hash" VARCHAR(64) NOT NULL, "id_full" VARCHAR(40), "id_verified" BOOLEAN NOT NULL, "destination" VARCHAR(100) NOT NULL, "badge_destination" VARCHAR(50) NOT NULL, "staff_host" VARCHAR(50) NOT NULL, "appointment_id" INTEGER, "consent" VARCHAR(10) NOT NULL, "consent_at" TIMESTAMP, "escort" VARCHAR(50) NOT NULL, "watch_hit" BOOLEAN NOT NULL, "watch_decision" VARCHAR(10) NOT NULL, "watch_decided_by_id" INTEGER, "status" VARCHAR(10) NOT NULL, "valid_until" TIMESTAMP, "checked_out_at" TIMESTAMP, "checked_out_by_id" INTEGER, "badge_prints" INTEGER NOT NULL, "client_token" VARCHAR(40), "version" INTEGER NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"), FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id"), FOREIGN KEY ("appointment_id") REFERENCES "appointment" ("id") ON DELETE SET NULL, FOREIGN KEY ("watch_decided_by_id") REFERENCES "operator" ("id"), FOREIGN KEY ("checked_out_by_id") REFERENCES "operator" ("id"));
CREATE UNIQUE INDEX "visit_serial" ON "visit" ("serial");
CREATE INDEX "visit_kind" ON "visit" ("kind");
CREATE INDEX "visit_arrived_at" ON "visit" ("arrived_at");
CREATE INDEX "visit_operator_id" ON "visit" ("operator_id");
CREATE INDEX "visit_resident_id" ON "visit" ("resident_id");
CREATE INDEX "visit_department_id" ON "visit" ("department_id");
CREATE INDEX "visit_id_hash" ON "visit" ("id_hash");
CREATE INDEX "visit_appointment_id" ON "visit" ("appointment_id");
CREATE INDEX "visit_watch_decided_by_id" ON "visit" ("watch_decided_by_id");
CREATE INDEX "visit_status" ON "visit" ("status");
CREATE INDEX "visit_checked_out_at" ON "visit" ("checked_out_at");
CREATE INDEX "visit_checked_out_by_id" ON "visit" ("checked_out_by_id");
CREATE UNIQUE INDEX "visit_client_token" ON "visit" ("client_token");
CREATE TABLE "watch_entry" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(50) NOT NULL, "id_type" VARCHAR(20) NOT NULL, "id_hash" VARCHAR(64) NOT NULL, "id_masked" VARCHAR(40) NOT NULL, "phone" VARCHAR(40) NOT NULL, "reason" TEXT NOT NULL, "added_by_id" INTEGER NOT NULL, "added_at" TIMESTAMP NOT NULL, "active" BOOLEAN NOT NULL, FOREIGN KEY ("added_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "watch_entry_name" ON "watch_entry" ("name");
CREATE INDEX "watch_entry_id_hash" ON "watch_entry" ("id_hash");
CREATE INDEX "watch_entry_phone" ON "watch_entry" ("phone");
CREATE INDEX "watch_entry_added_by_id" ON "watch_entry" ("added_by_id");
CREATE TABLE "incident" ("id" SERIAL NOT NULL PRIMARY KEY, "kind" VARCHAR(10) NOT NULL, "call_id" INTEGER, "visit_id" INTEGER, "occurred_at" TIMESTAMP NOT NULL, "description" TEXT NOT NULL, "reported_to_id" INTEGER, "reported_to_person" VARCHAR(50) NOT NULL, "reported_at" TIMESTAMP, "police_case_no" VARCHAR(40) NOT NULL, "officer" VARCHAR(50) NOT NULL, "created_by_id" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("call_id") REFERENCES "call" ("id") ON DELETE SET NULL, FOREIGN KEY ("visit_id") REFERENCES "visit" ("id") ON DELETE SET NULL, FOREIGN KEY ("reported_to_id") REFERENCES "department" ("id"), FOREIGN KEY ("created_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "incident_kind" ON "incident" ("kind");
CREATE INDEX "incident_call_id" ON "incident" ("call_id");
CREATE INDEX "incident_visit_id" ON "incident" ("visit_id");
CREATE INDEX "incident_occurred_at" ON "incident" ("occurred_at");
CREATE INDEX "incident_reported_to_id" ON "incident" ("reported_to_id");
CREATE INDEX "incident_created_by_id" ON "incident" ("created_by_id");
