// One browser and one portal at a time: the CI machine has 2 cores, and the circuit memory figures need a quiet process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
