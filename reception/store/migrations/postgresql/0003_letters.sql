-- Schema version 3: the letters register (letters, attachments).
-- PostgreSQL form of the SQLite step of the same number (same tables, columns and indexes;
-- SERIAL ids, TIMESTAMP, BOOLEAN). Frozen like it once released.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "letter" ("id" SERIAL NOT NULL PRIMARY KEY, "serial" VARCHAR(20) NOT NULL, "receipt_no" VARCHAR(12) NOT NULL, "received_at" TIMESTAMP NOT NULL, "channel" VARCHAR(10) NOT NULL, "letter_type" VARCHAR(10) NOT NULL, "sender_name" VARCHAR(50) NOT NULL, "organisation" VARCHAR(100) NOT NULL, "contact" VARCHAR(100) NOT NULL, "sender_ref" VARCHAR(50) NOT NULL, "resident_id" INTEGER, "subject" VARCHAR(200) NOT NULL, "summary" TEXT NOT NULL, "pages" INTEGER NOT NULL, "confidentiality" VARCHAR(10) NOT NULL, "operator_id" INTEGER NOT NULL, "department_id" INTEGER, "handler" VARCHAR(50) NOT NULL, "routed_at" TIMESTAMP, "reply_due_at" TIMESTAMP NOT NULL, "status" VARCHAR(10) NOT NULL, "replied_at" TIMESTAMP, "reply_channel" VARCHAR(10) NOT NULL, "reply_summary" TEXT NOT NULL, "replied_by" VARCHAR(50) NOT NULL, "archived_at" TIMESTAMP, "client_token" VARCHAR(40), "version" INTEGER NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"), FOREIGN KEY ("department_id") REFERENCES "department" ("id"));
CREATE UNIQUE INDEX "letter_serial" ON "letter" ("serial");
CREATE UNIQUE INDEX "letter_receipt_no" ON "letter" ("receipt_no");
CREATE INDEX "letter_received_at" ON "letter" ("received_at");
CREATE INDEX "letter_resident_id" ON "letter" ("resident_id");
CREATE INDEX "letter_operator_id" ON "letter" ("operator_id");
CREATE INDEX "letter_department_id" ON "letter" ("department_id");
CREATE INDEX "letter_reply_due_at" ON "letter" ("reply_due_at");
CREATE INDEX "letter_status" ON "letter" ("status");
CREATE UNIQUE INDEX "letter_client_token" ON "letter" ("client_token");
CREATE TABLE "attachment" ("id" SERIAL NOT NULL PRIMARY KEY, "owner_kind" VARCHAR(10) NOT NULL, "owner_id" INTEGER NOT NULL, "role" VARCHAR(10) NOT NULL, "sha256" VARCHAR(64) NOT NULL, "original_name" VARCHAR(255) NOT NULL, "size" INTEGER NOT NULL, "added_at" TIMESTAMP NOT NULL, "added_by_id" INTEGER NOT NULL, FOREIGN KEY ("added_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "attachment_sha256" ON "attachment" ("sha256");
CREATE INDEX "attachment_added_by_id" ON "attachment" ("added_by_id");
CREATE INDEX "attachment_owner_kind_owner_id" ON "attachment" ("owner_kind", "owner_id");
