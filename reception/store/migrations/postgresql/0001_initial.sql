-- Schema version 1: the foundation (residents, calls, messages, callbacks, cases, audit).
-- PostgreSQL form of the SQLite step of the same number (same tables, columns and indexes;
-- SERIAL ids, TIMESTAMP, BOOLEAN). Frozen like it once released.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "setting" ("key" VARCHAR(64) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "department" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(50) NOT NULL, "phone" VARCHAR(40) NOT NULL, "active" BOOLEAN NOT NULL, "sort_order" INTEGER NOT NULL);
CREATE UNIQUE INDEX "department_name" ON "department" ("name");
CREATE TABLE "operator" ("id" SERIAL NOT NULL PRIMARY KEY, "username" VARCHAR(40) NOT NULL, "display_name" VARCHAR(40) NOT NULL, "role" VARCHAR(20) NOT NULL, "password_hash" VARCHAR(200) NOT NULL, "active" BOOLEAN NOT NULL, "failed_logins" INTEGER NOT NULL, "last_failed_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL);
CREATE UNIQUE INDEX "operator_username" ON "operator" ("username");
CREATE TABLE "resident" ("id" SERIAL NOT NULL PRIMARY KEY, "building" VARCHAR(20) NOT NULL, "unit" VARCHAR(20) NOT NULL, "room" VARCHAR(20) NOT NULL, "name" VARCHAR(50) NOT NULL, "relation" VARCHAR(20) NOT NULL, "phone" VARCHAR(40) NOT NULL, "phone_alt" VARCHAR(40) NOT NULL, "note" VARCHAR(200) NOT NULL, "initials" VARCHAR(50) NOT NULL, "active" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL);
CREATE INDEX "resident_room" ON "resident" ("room");
CREATE INDEX "resident_name" ON "resident" ("name");
CREATE INDEX "resident_phone" ON "resident" ("phone");
CREATE INDEX "resident_phone_alt" ON "resident" ("phone_alt");
CREATE INDEX "resident_initials" ON "resident" ("initials");
CREATE UNIQUE INDEX "resident_building_unit_room_name" ON "resident" ("building", "unit", "room", "name");
CREATE TABLE "call" ("id" SERIAL NOT NULL PRIMARY KEY, "serial" VARCHAR(20) NOT NULL, "started_at" TIMESTAMP NOT NULL, "saved_at" TIMESTAMP NOT NULL, "duration_s" INTEGER NOT NULL, "operator_id" INTEGER NOT NULL, "resident_id" INTEGER, "caller_name" VARCHAR(50) NOT NULL, "caller_phone" VARCHAR(40) NOT NULL, "location" VARCHAR(100) NOT NULL, "identity_verified" BOOLEAN NOT NULL, "category" VARCHAR(20) NOT NULL, "content" TEXT NOT NULL, "answer" TEXT NOT NULL, "outcome" VARCHAR(20) NOT NULL, "department_id" INTEGER, "taken_by" VARCHAR(50) NOT NULL, "alerted_department_id" INTEGER, "alerted_at" TIMESTAMP, "readback" TEXT NOT NULL, "client_token" VARCHAR(40), "version" INTEGER NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"), FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id"), FOREIGN KEY ("alerted_department_id") REFERENCES "department" ("id"));
CREATE UNIQUE INDEX "call_serial" ON "call" ("serial");
CREATE INDEX "call_saved_at" ON "call" ("saved_at");
CREATE INDEX "call_operator_id" ON "call" ("operator_id");
CREATE INDEX "call_resident_id" ON "call" ("resident_id");
CREATE INDEX "call_department_id" ON "call" ("department_id");
CREATE INDEX "call_alerted_department_id" ON "call" ("alerted_department_id");
CREATE UNIQUE INDEX "call_client_token" ON "call" ("client_token");
CREATE TABLE "case" ("id" SERIAL NOT NULL PRIMARY KEY, "serial" VARCHAR(20) NOT NULL, "source_kind" VARCHAR(10) NOT NULL, "source_id" INTEGER, "category" VARCHAR(20) NOT NULL, "resident_id" INTEGER, "location" VARCHAR(100) NOT NULL, "description" TEXT NOT NULL, "first_receiver_id" INTEGER NOT NULL, "department_id" INTEGER, "handler" VARCHAR(50) NOT NULL, "status" VARCHAR(10) NOT NULL, "received_at" TIMESTAMP NOT NULL, "reply_due_at" TIMESTAMP NOT NULL, "closed_at" TIMESTAMP, "version" INTEGER NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL, FOREIGN KEY ("first_receiver_id") REFERENCES "operator" ("id"), FOREIGN KEY ("department_id") REFERENCES "department" ("id"));
CREATE UNIQUE INDEX "case_serial" ON "case" ("serial");
CREATE INDEX "case_resident_id" ON "case" ("resident_id");
CREATE INDEX "case_first_receiver_id" ON "case" ("first_receiver_id");
CREATE INDEX "case_department_id" ON "case" ("department_id");
CREATE INDEX "case_status" ON "case" ("status");
CREATE INDEX "case_reply_due_at" ON "case" ("reply_due_at");
CREATE INDEX "case_source_kind_source_id" ON "case" ("source_kind", "source_id");
CREATE TABLE "case_event" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "at" TIMESTAMP NOT NULL, "operator_id" INTEGER NOT NULL, "action" VARCHAR(20) NOT NULL, "from_status" VARCHAR(10) NOT NULL, "to_status" VARCHAR(10) NOT NULL, "department_id" INTEGER, "handler" VARCHAR(50) NOT NULL, "note" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"), FOREIGN KEY ("department_id") REFERENCES "department" ("id"));
CREATE INDEX "case_event_case_id" ON "case_event" ("case_id");
CREATE INDEX "case_event_operator_id" ON "case_event" ("operator_id");
CREATE INDEX "case_event_department_id" ON "case_event" ("department_id");
CREATE TABLE "message" ("id" SERIAL NOT NULL PRIMARY KEY, "call_id" INTEGER, "for_person" VARCHAR(50) NOT NULL, "for_department_id" INTEGER, "from_name" VARCHAR(50) NOT NULL, "callback_phone" VARCHAR(40) NOT NULL, "text" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, "created_by_id" INTEGER NOT NULL, "delivered_at" TIMESTAMP, "delivered_by_id" INTEGER, "delivered_to" VARCHAR(50) NOT NULL, FOREIGN KEY ("call_id") REFERENCES "call" ("id") ON DELETE SET NULL, FOREIGN KEY ("for_department_id") REFERENCES "department" ("id"), FOREIGN KEY ("created_by_id") REFERENCES "operator" ("id"), FOREIGN KEY ("delivered_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "message_call_id" ON "message" ("call_id");
CREATE INDEX "message_for_department_id" ON "message" ("for_department_id");
CREATE INDEX "message_created_at" ON "message" ("created_at");
CREATE INDEX "message_created_by_id" ON "message" ("created_by_id");
CREATE INDEX "message_delivered_at" ON "message" ("delivered_at");
CREATE INDEX "message_delivered_by_id" ON "message" ("delivered_by_id");
CREATE TABLE "callback" ("id" SERIAL NOT NULL PRIMARY KEY, "call_id" INTEGER, "name" VARCHAR(50) NOT NULL, "phone" VARCHAR(40) NOT NULL, "reason" TEXT NOT NULL, "due_at" TIMESTAMP NOT NULL, "created_at" TIMESTAMP NOT NULL, "created_by_id" INTEGER NOT NULL, "completed_at" TIMESTAMP, "completed_by_id" INTEGER, "result" TEXT NOT NULL, FOREIGN KEY ("call_id") REFERENCES "call" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "operator" ("id"), FOREIGN KEY ("completed_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "callback_call_id" ON "callback" ("call_id");
CREATE INDEX "callback_due_at" ON "callback" ("due_at");
CREATE INDEX "callback_created_by_id" ON "callback" ("created_by_id");
CREATE INDEX "callback_completed_at" ON "callback" ("completed_at");
CREATE INDEX "callback_completed_by_id" ON "callback" ("completed_by_id");
CREATE TABLE "audit_log" ("id" SERIAL NOT NULL PRIMARY KEY, "at" TIMESTAMP NOT NULL, "operator_id" INTEGER, "action" VARCHAR(30) NOT NULL, "entity" VARCHAR(20) NOT NULL, "entity_id" INTEGER, "detail" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id") ON DELETE RESTRICT);
CREATE INDEX "audit_log_operator_id" ON "audit_log" ("operator_id");
CREATE INDEX "audit_log_entity_entity_id" ON "audit_log" ("entity", "entity_id");
CREATE TABLE "serial_counter" ("kind" VARCHAR(4) NOT NULL, "day" VARCHAR(8) NOT NULL, "last" INTEGER NOT NULL, PRIMARY KEY ("kind", "day"));
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation'; END;
$$;
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
