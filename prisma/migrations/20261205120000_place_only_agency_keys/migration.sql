-- A place's name alone (上海市, 淮安市清江浦区) now has its government's identity key
-- ({310000}人民政府, src/catalogue/regions.ts agencyIdentityKey): provinces and cities title their
-- reports so (北京市2023年政府信息公开工作年度报告), and such a report was kept apart from the same
-- government's reports titled with 人民政府. The keys of agencies stored under a place's name alone
-- are recomputed when the database is next opened (src/store/agency-identity.ts
-- ensureIdentityKeys); where the government is stored under its full name too, the two stay apart
-- with a line saying how to merge them. Only identity_key changes, which no aggregate counts by.
UPDATE "agency" SET "identity_key" = NULL WHERE "identity_key" ~ '^\{[0-9]+\}$';
