// libtorch's random generator is process-wide: tests that seed it (trainers, models, ghost BN) must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
