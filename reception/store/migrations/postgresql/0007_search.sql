-- Schema version 7: the call search and the indexes the handover and daily reports need.
-- PostgreSQL form of the SQLite step of the same number. Frozen like it once released.
--
-- SQLite keeps its own FTS5 index (one token per Chinese character) through triggers;
-- PostgreSQL searches the text columns with ILIKE, which pg_trgm's GIN indexes serve (for
-- patterns of three characters or more; shorter ones read the index in full, still without
-- reading the calls). The room key is an expression over the location (building and unit words
-- replaced by letters, as in the SQLite view), matched with a regular expression that its own
-- trigram index serves. pg_trgm is a trusted extension: the owner of the database may create it.
-- The query side is reception.services.search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "call_caller_name_trgm" ON "call" USING gin ("caller_name" gin_trgm_ops);
CREATE INDEX "call_content_trgm" ON "call" USING gin ("content" gin_trgm_ops);
CREATE INDEX "call_location_trgm" ON "call" USING gin ("location" gin_trgm_ops);
CREATE INDEX "call_serial_trgm" ON "call" USING gin ("serial" gin_trgm_ops);
CREATE INDEX "call_place_key_trgm" ON "call" USING gin ((replace(replace(replace(replace(replace(replace("location", '号楼', 'b'), '栋', 'b'), '幢', 'b'), '座', 'b'), '楼', 'b'), '单元', 'u')) gin_trgm_ops);
-- Phone search: the last four digits, and the whole number or its beginning.
CREATE INDEX "call_caller_phone_last4" ON "call" (right("caller_phone", 4));
CREATE INDEX "call_caller_phone" ON "call" ("caller_phone");
-- The handover and daily reports select by these times.
CREATE INDEX "case_received_at" ON "case" ("received_at");
CREATE INDEX "case_closed_at" ON "case" ("closed_at");
CREATE INDEX "case_replied_at" ON "case" ("replied_at");
CREATE INDEX "letter_replied_at" ON "letter" ("replied_at");
