using System.Diagnostics;
using System.Globalization;
using NhiGuard.TestSupport;

namespace NhiGuard.Benchmarks;

/// <summary>
/// The pre-commit hook's cost: wall time of <c>nhiguard staged</c> on a small commit of ordinary
/// code that mentions tokens, passwords and secrets (so the generic rules run) and holds no
/// secret — for the CLI built next to this benchmark and, with <c>--tool PATH</c>, an installed
/// tool (the ReadyToRun package).
/// </summary>
internal static class StagedBenchmark
{
    public static int Run(string[] args)
    {
        int runs = 10;
        string? tool = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tool": tool = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        using var repo = new GitRepository();
        repo.Write("README.md", "# orders\n");
        repo.Commit("init");
        repo.Write("src/Orders/TokenClient.cs", """
            public sealed class TokenClient(HttpClient http, IOptions<AuthOptions> options)
            {
                // The access token comes from the identity platform; the client secret from Key Vault.
                public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
                {
                    var password = options.Value.Password ?? throw new InvalidOperationException("no password configured");
                    var secret = await vault.GetSecretAsync("orders-client-secret", cancellationToken);
                    var apiKey = Environment.GetEnvironmentVariable("ORDERS_API_KEY");
                    return await http.GetStringAsync($"token?scope={options.Value.Scope}", cancellationToken);
                }
            }

            """);
        repo.Write("src/Orders/appsettings.json", "{ \"Auth\": { \"Authority\": \"https://login.example.test\", \"ClientId\": \"orders\", \"Scope\": \"orders.read\" } }\n");
        repo.Git("add", "-A");

        string cli = Path.Combine(AppContext.BaseDirectory, "nhiguard.dll");
        Console.WriteLine($"a staged commit of 2 files (C# mentioning token/password/secret/api key, appsettings.json), no secret; {runs} runs each; {Environment.ProcessorCount} cores");
        Report("built from source (dotnet nhiguard.dll)", runs, () => ("dotnet", [cli, "staged", repo.Path]));
        if (tool is not null)
        {
            Report($"installed tool ({tool})", runs, () => (tool, ["staged", repo.Path]));
        }

        return 0;
    }

    private static void Report(string what, int runs, Func<(string File, string[] Args)> command)
    {
        var times = new List<double>();
        for (int i = 0; i < runs + 1; i++)
        {
            (string file, string[] args) = command();
            var clock = Stopwatch.StartNew();
            ProcessResult r = ProcessRunner.Run(file, args, Path.GetTempPath());
            double seconds = clock.Elapsed.TotalSeconds;
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"nhiguard staged: {r}");
            }

            if (i > 0)
            {
                times.Add(seconds); // the first run warms the disk cache
            }
        }

        times.Sort();
        Console.WriteLine($"{what}: median {times[times.Count / 2]:0.000} s, best {times[0]:0.000} s");
    }
}
