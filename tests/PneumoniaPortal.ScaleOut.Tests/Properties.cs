// Several portal processes, PostgreSQL and Redis at once on a 2-core machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
