-- Only a file's own name is kept: imports from the command line stored the path as given,
-- which named folders of the importing machine and was served publicly in sourceFileName.
UPDATE "report_revision"
SET "source_file_name" = regexp_replace("source_file_name", '^.*[/\\]', '')
WHERE "source_file_name" ~ '[/\\]';
