// The ingest service host; wired up in the next commit.
return 0;
