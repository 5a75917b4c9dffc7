using Sweep.Jobs;

// Verbs: worker (default) serves Hangfire queues; train runs one trial (a child of the worker);
// migrate applies the database schema in one step; bench prints the engine's figures.
var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "worker";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
return verb switch
{
    "worker" => await WorkerHost.RunAsync(rest),
    "train" => TrainCommand.Run(rest),
    "migrate" => await MigrateCommand.RunAsync(rest),
    "health" => HealthCommand.Run(),
    "bench" when rest.FirstOrDefault() == "scheduling" => await SchedulingBench.RunAsync(rest[1..]),
    "bench" when rest.FirstOrDefault() == "step" => StepBench.Run(rest[1..]),
    "bench" when rest.FirstOrDefault() == "matmul" => MatmulBench.Run(rest[1..]),
    "bench" when rest.FirstOrDefault() == "evaluation" => EvaluationBench.Run(rest[1..]),
    "bench" => BenchCommand.Run(rest),
    _ => Usage(verb),
};

static int Usage(string verb)
{
    Console.Error.WriteLine($"Unknown verb '{verb}'. Usage: Sweep.Jobs [worker|train --config FILE|migrate|health|bench [scheduling|step|matmul|evaluation]]");
    return 64;
}
