"""The batch: find files → parse each in a worker pool (or on a cluster) → resolve the collection → assemble
the Parquet atomically; incremental, interruptible, one failure per bad file (entry point: pipeline.run_batch)."""
