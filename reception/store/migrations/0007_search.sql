-- Schema version 7: the call search index and the indexes the handover and daily reports need.
-- Frozen SQL once released: never edit a released migration; add a new numbered step instead.
--
-- "call_search" is a contentless FTS5 table (rowid = call.id) over the caller's name, the
-- content, the location and the serial number. SQLite's trigram tokenizer finds nothing for
-- 1–2 characters, so the text is fed to the unicode61 tokenizer with every non-ASCII character
-- made a token of its own ('3栋2单元1201' → '3 栋 2 单 元 1201'); runs of ASCII letters and digits
-- stay one token. A Chinese substring of any length is then the phrase of its characters.
-- "place_key" is the location with the words for building and unit replaced by letters, so a
-- room is one token however it was written: '3栋2单元1201', '3号楼2单元1201室' → '3b2u1201';
-- '3栋1201' → '3b1201' (phrases of common characters such as 栋 单 元 are slow to match).
-- "call_search_source" computes that text for a call (the one place the transform is written);
-- "search_position" holds the positions 1…8192 the transform walks (text beyond 8,192 characters
-- is not indexed). Triggers keep the index in step with every write to "call": the old text is
-- removed before an UPDATE or DELETE (read through the view while the row is still there), the
-- new text added after an INSERT or UPDATE. Phone numbers are not in the index (an FTS index
-- keeps deleted terms until its segments merge, and the retention purge must remove them from
-- the file): they are searched through the ordinary indexes below, which the purge clears.
-- The query side is reception.services.search.
CREATE TABLE "search_position" ("n" INTEGER NOT NULL PRIMARY KEY);
INSERT INTO "search_position" ("n") WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 8192) SELECT n FROM s;
CREATE VIEW "call_search_source" AS SELECT c."id" AS "id",
  (SELECT group_concat(substr(c.caller_name, n, 1) || CASE WHEN unicode(substr(c.caller_name, n, 1)) >= 128 OR unicode(substr(c.caller_name, n + 1, 1)) >= 128 THEN ' ' ELSE '' END, '') FROM (SELECT n FROM "search_position" WHERE n <= length(c.caller_name) ORDER BY n)) AS "caller_name",
  (SELECT group_concat(substr(c.content, n, 1) || CASE WHEN unicode(substr(c.content, n, 1)) >= 128 OR unicode(substr(c.content, n + 1, 1)) >= 128 THEN ' ' ELSE '' END, '') FROM (SELECT n FROM "search_position" WHERE n <= length(c.content) ORDER BY n)) AS "content",
  (SELECT group_concat(substr(c.location, n, 1) || CASE WHEN unicode(substr(c.location, n, 1)) >= 128 OR unicode(substr(c.location, n + 1, 1)) >= 128 THEN ' ' ELSE '' END, '') FROM (SELECT n FROM "search_position" WHERE n <= length(c.location) ORDER BY n)) AS "location",
  (SELECT group_concat(substr(c.serial, n, 1) || CASE WHEN unicode(substr(c.serial, n, 1)) >= 128 OR unicode(substr(c.serial, n + 1, 1)) >= 128 THEN ' ' ELSE '' END, '') FROM (SELECT n FROM "search_position" WHERE n <= length(c.serial) ORDER BY n)) AS "serial",
  (SELECT group_concat(substr(replace(replace(replace(replace(replace(replace(c.location, '号楼', 'b'), '栋', 'b'), '幢', 'b'), '座', 'b'), '楼', 'b'), '单元', 'u'), n, 1) || CASE WHEN unicode(substr(replace(replace(replace(replace(replace(replace(c.location, '号楼', 'b'), '栋', 'b'), '幢', 'b'), '座', 'b'), '楼', 'b'), '单元', 'u'), n, 1)) >= 128 OR unicode(substr(replace(replace(replace(replace(replace(replace(c.location, '号楼', 'b'), '栋', 'b'), '幢', 'b'), '座', 'b'), '楼', 'b'), '单元', 'u'), n + 1, 1)) >= 128 THEN ' ' ELSE '' END, '') FROM (SELECT n FROM "search_position" WHERE n <= length(replace(replace(replace(replace(replace(replace(c.location, '号楼', 'b'), '栋', 'b'), '幢', 'b'), '座', 'b'), '楼', 'b'), '单元', 'u')) ORDER BY n)) AS "place_key"
FROM "call" AS c;
CREATE VIRTUAL TABLE "call_search" USING fts5("caller_name", "content", "location", "serial", "place_key", content='', tokenize='unicode61');
INSERT INTO "call_search" ("rowid", "caller_name", "content", "location", "serial", "place_key") SELECT "id", "caller_name", "content", "location", "serial", "place_key" FROM "call_search_source";
CREATE TRIGGER "call_search_after_insert" AFTER INSERT ON "call" BEGIN
  INSERT INTO "call_search" ("rowid", "caller_name", "content", "location", "serial", "place_key") SELECT "id", "caller_name", "content", "location", "serial", "place_key" FROM "call_search_source" WHERE "id" = new."id";
END;
CREATE TRIGGER "call_search_before_update" BEFORE UPDATE OF "id", "caller_name", "content", "location", "serial" ON "call" BEGIN
  INSERT INTO "call_search" ("call_search", "rowid", "caller_name", "content", "location", "serial", "place_key") SELECT 'delete', "id", "caller_name", "content", "location", "serial", "place_key" FROM "call_search_source" WHERE "id" = old."id";
END;
CREATE TRIGGER "call_search_after_update" AFTER UPDATE OF "id", "caller_name", "content", "location", "serial" ON "call" BEGIN
  INSERT INTO "call_search" ("rowid", "caller_name", "content", "location", "serial", "place_key") SELECT "id", "caller_name", "content", "location", "serial", "place_key" FROM "call_search_source" WHERE "id" = new."id";
END;
CREATE TRIGGER "call_search_before_delete" BEFORE DELETE ON "call" BEGIN
  INSERT INTO "call_search" ("call_search", "rowid", "caller_name", "content", "location", "serial", "place_key") SELECT 'delete', "id", "caller_name", "content", "location", "serial", "place_key" FROM "call_search_source" WHERE "id" = old."id";
END;
-- Phone search: the last four digits, and the whole number or its beginning.
CREATE INDEX "call_caller_phone_last4" ON "call" (substr("caller_phone", -4));
CREATE INDEX "call_caller_phone" ON "call" ("caller_phone");
-- The handover and daily reports select by these times.
CREATE INDEX "case_received_at" ON "case" ("received_at");
CREATE INDEX "case_closed_at" ON "case" ("closed_at");
CREATE INDEX "case_replied_at" ON "case" ("replied_at");
CREATE INDEX "letter_replied_at" ON "letter" ("replied_at");
