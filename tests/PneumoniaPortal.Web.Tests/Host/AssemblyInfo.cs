// Hangfire keeps its logger and job activator in statics shared by every host in the process; one portal host at a
// time keeps each test's jobs in its own container (and the 2 cores of CI for one training run at a time).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
