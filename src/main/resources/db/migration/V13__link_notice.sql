-- Issue 16: a note from whoever manages a link (the home agent puts there why it refuses the labels of the
-- container the link was made for). Null when there is nothing to say.
ALTER TABLE link ADD COLUMN notice VARCHAR(2000);
