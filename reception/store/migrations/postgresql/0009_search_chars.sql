-- Schema version 9: the call search for one or two Chinese characters (PostgreSQL form of the
-- step of the same number, which changes nothing in SQLite). Frozen like it once released.
--
-- pg_trgm's indexes (migration 7) serve a text with three letters or digits in a row; one or two
-- Chinese characters (a surname) have no trigram, and reading every call for them took ≈ 0.3 s
-- a keystroke with ten years of calls (tests/benchmarks). This GIN index holds the characters of
-- a call's caller name, content, location and serial number: for such a text reception.services.search
-- first asks it for the calls holding each character typed (_pg_characters calls the same
-- function), then checks the substring on those calls only.
--
-- The function is STRICT while string_to_array is not, so the planner keeps it as a function
-- (it is not inlined), and COST 200 says what computing it costs (≈ 5 µs a call, measured, about
-- 200 built-in operators): the planner then reads the index rather than compute the characters
-- of every call it passes (the index is exact for "@>": the rows it returns are not checked
-- again). The four columns are NOT NULL.
CREATE FUNCTION "call_characters"("caller_name" text, "content" text, "location" text, "serial" text)
  RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 200
  AS $$ SELECT string_to_array("caller_name" || "content" || "location" || "serial", NULL) $$;
CREATE INDEX "call_characters" ON "call" USING gin ("call_characters"("caller_name", "content", "location", "serial"));
-- How many calls hold a substring of three characters or more (a LIKE pattern, served by the
-- trigram indexes) is estimated from a column's histogram only when it has more entries than the
-- default statistics target gives; otherwise the planner guesses (about one call in a hundred
-- for three characters), and for a rare name it paged through all calls backwards looking for
-- 200 matches (≈ 0.2 s). No percent sign in this file: the driver would read it as a parameter.
ALTER TABLE "call" ALTER COLUMN "caller_name" SET STATISTICS 200, ALTER COLUMN "content" SET STATISTICS 200,
  ALTER COLUMN "location" SET STATISTICS 200, ALTER COLUMN "serial" SET STATISTICS 200;
-- The planner's statistics for the new expression and targets now, not after a tenth of the
-- calls have changed.
ANALYZE "call";
