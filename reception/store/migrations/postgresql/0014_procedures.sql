-- Schema version 14: the procedures' remaining gaps (issue 17).
-- 重复问题的整改跟踪: one record per recurring problem (cause, measure, owner, due date, result) and its cases;
-- 业户办事的跟进时限: a business visit's follow-up due time and when it was done;
-- 来访单位: where a visitor comes from; 知识库: entries proposed by a receptionist wait for a supervisor.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "recurring_problem" ("id" SERIAL NOT NULL PRIMARY KEY, "desk" VARCHAR(40) NOT NULL, "place_key" VARCHAR(100) NOT NULL, "category" VARCHAR(20) NOT NULL, "cause" TEXT NOT NULL, "measure" TEXT NOT NULL, "owner" VARCHAR(50) NOT NULL, "due_on" DATE NOT NULL, "result" TEXT NOT NULL, "status" VARCHAR(10) NOT NULL, "created_at" TIMESTAMP NOT NULL, "created_by_id" INTEGER NOT NULL, "updated_at" TIMESTAMP NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("created_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "recurring_problem_place_key" ON "recurring_problem" ("place_key");
CREATE INDEX "recurring_problem_status" ON "recurring_problem" ("status");
CREATE INDEX "recurring_problem_created_by_id" ON "recurring_problem" ("created_by_id");
CREATE TABLE "recurring_problem_case" ("id" SERIAL NOT NULL PRIMARY KEY, "problem_id" INTEGER NOT NULL, "case_id" INTEGER NOT NULL, FOREIGN KEY ("problem_id") REFERENCES "recurring_problem" ("id") ON DELETE CASCADE, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE);
CREATE INDEX "recurring_problem_case_problem_id" ON "recurring_problem_case" ("problem_id");
CREATE UNIQUE INDEX "recurring_problem_case_case_id" ON "recurring_problem_case" ("case_id");
ALTER TABLE "visit" ADD COLUMN "visitor_unit" VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE "visit" ADD COLUMN "follow_up_due_at" TIMESTAMP;
ALTER TABLE "visit" ADD COLUMN "follow_up_done_at" TIMESTAMP;
CREATE INDEX "visit_follow_up_due_at" ON "visit" ("follow_up_due_at");
ALTER TABLE "knowledge_entry" ADD COLUMN "status" VARCHAR(10) NOT NULL DEFAULT 'approved';
ALTER TABLE "knowledge_entry" ADD COLUMN "proposed_by_id" INTEGER REFERENCES "operator" ("id");
CREATE INDEX "knowledge_entry_status" ON "knowledge_entry" ("status");
