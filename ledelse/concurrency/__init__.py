"""Nothing lost when two people work at once: optimistic concurrency for edit forms
(`versions`: a version number on the row, the version seen carried by the form, a conflict
that says what changed meanwhile) and one-time keys for creating forms (`once`: a second
identical POST lands on the first one's result instead of making another)."""
