-- Schema version 6: drafts of half-filled forms.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "draft" ("id" INTEGER NOT NULL PRIMARY KEY, "operator_id" INTEGER NOT NULL, "form" VARCHAR(30) NOT NULL, "data" TEXT NOT NULL, "saved_at" DATETIME NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id") ON DELETE CASCADE);
CREATE INDEX "draft_operator_id" ON "draft" ("operator_id");
CREATE UNIQUE INDEX "draft_operator_id_form" ON "draft" ("operator_id", "form");
