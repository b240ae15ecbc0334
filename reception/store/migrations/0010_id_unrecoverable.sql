-- Schema version 10: ID numbers that cannot be recovered from the file.
-- Frozen SQL once released: never edit a released migration; add a new numbered step instead.
--
-- The masked form keeps at most the last 4 characters (it kept the first 4 and the last 4):
-- re-masked here from the old masked form. The old ID hashes were salted with a value kept in
-- the same database, so mask + hash gave the number back by trial: they are cleared, and the
-- salt deleted. New hashes are HMACs under the site key, which is not in the database.
-- A watch-list entry stores no full number, so its hash cannot be recomputed: it is marked
-- "id_recheck" (a supervisor enters the number again) and meanwhile matches by name.
UPDATE "visit" SET "id_masked" = CASE
    WHEN length("id_masked") > 8 THEN substr('****************************************', 1, length("id_masked") - 4) || substr("id_masked", length("id_masked") - 3, 4)
    ELSE substr('****************************************', 1, length("id_masked") - 1) || substr("id_masked", length("id_masked"), 1)
  END WHERE "id_masked" != '';
UPDATE "watch_entry" SET "id_masked" = CASE
    WHEN length("id_masked") > 8 THEN substr('****************************************', 1, length("id_masked") - 4) || substr("id_masked", length("id_masked") - 3, 4)
    ELSE substr('****************************************', 1, length("id_masked") - 1) || substr("id_masked", length("id_masked"), 1)
  END WHERE "id_masked" != '';
ALTER TABLE "watch_entry" ADD COLUMN "id_recheck" INTEGER NOT NULL DEFAULT 0;
UPDATE "watch_entry" SET "id_recheck" = 1, "id_hash" = '' WHERE "id_hash" != '';
UPDATE "visit" SET "id_hash" = '' WHERE "id_hash" != '';
DELETE FROM "setting" WHERE "key" = 'id_hash_salt';
