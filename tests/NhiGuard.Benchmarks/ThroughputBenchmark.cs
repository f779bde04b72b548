using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Benchmarks;

/// <summary>
/// Generates a realistic tree of source and config files with seeded secrets, then times the
/// real <c>nhiguard scan</c> process on it: MB/s, files/s, peak memory, and how many seeded
/// secrets it found.
/// </summary>
internal static class ThroughputBenchmark
{
    private const int Seed = 20261122;

    // Bump when the generated tree changes, so a cached tree is rebuilt.
    private const int GeneratorVersion = 2;

    public static int Run(string[] args)
    {
        long targetBytes = 200L * 1024 * 1024;
        string root = Path.Combine(Path.GetTempPath(), "nhiguard-throughput");
        int runs = 3;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--megabytes": targetBytes = long.Parse(args[++i]) * 1024 * 1024; break;
                case "--dir": root = args[++i]; break;
                case "--runs": runs = int.Parse(args[++i]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        string cli = FindCli();
        (int files, long bytes, int seeded) = Generate(root, targetBytes);
        Console.WriteLine($"tree: {root}: {files} files, {bytes / 1048576.0:0.0} MB, {seeded} seeded secrets; {Environment.ProcessorCount} cores");

        var rates = new List<(double Seconds, long PeakKb, int Found)>();
        for (int run = 0; run < runs; run++)
        {
            rates.Add(TimeScan(cli, root));
            var (s, kb, found) = rates[^1];
            Console.WriteLine($"run {run + 1}: {s:0.00} s, {bytes / 1048576.0 / s:0.0} MB/s, {files / s:0} files/s, peak RSS {kb / 1024.0:0} MB, {found} findings");
        }

        var best = rates.MinBy(r => r.Seconds);
        Console.WriteLine($"best: {bytes / 1048576.0 / best.Seconds:0.0} MB/s, {files / best.Seconds:0} files/s, peak RSS {best.PeakKb / 1024.0:0} MB; findings {best.Found} for {seeded} seeded secrets");
        return 0;
    }

    private static string FindCli()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "nhiguard.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("nhiguard.dll not next to the benchmark; build tests/NhiGuard.Benchmarks in Release", dll);
        }

        return dll;
    }

    private static (double Seconds, long PeakKb, int Found) TimeScan(string cli, string root)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { cli, "scan", root, "--no-git", "--format", "json" })
        {
            psi.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"scan failed ({p.ExitCode}): {err.Result}");
        }

        using var doc = JsonDocument.Parse(json);
        int found = doc.RootElement.GetProperty("findings").GetArrayLength();
        return (seconds, PeakChildRssKb(), found);
    }

    // getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest resident set of any finished child, in KB.
    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, byte[] usage);

    private static long PeakChildRssKb()
    {
        var buffer = new byte[256];
        return getrusage(-1, buffer) == 0 ? BitConverter.ToInt64(buffer, 32) : -1;
    }

    private static (int Files, long Bytes, int Seeded) Generate(string root, long targetBytes)
    {
        string marker = Path.Combine(root, ".generated");
        string expected = $"{GeneratorVersion}:{Seed}:{targetBytes}";
        if (File.Exists(marker) && File.ReadAllText(marker).StartsWith(expected + "\n", StringComparison.Ordinal))
        {
            string[] parts = File.ReadAllText(marker).Split('\n')[1].Split(' ');
            return (int.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]));
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var random = new Random(Seed);
        var template = new ExampleTemplate(Seed);
        int files = 0, seeded = 0;
        long bytes = 0;
        while (bytes < targetBytes)
        {
            int project = files / 400;
            int kind = random.Next(100);
            // Markdown pages carry no seeded secret.
            bool seed = random.Next(150) == 0 && kind is < 84 or >= 92;
            (string path, string content) = kind switch
            {
                < 62 => ($"src/Project{project}/Services/Service{files}.cs", CSharpFile(random, files, seed ? template.Expand("{{github:ghp}}") : null)),
                < 70 => ($"src/Project{project}/appsettings.{files}.json", AppSettings(random, seed ? template.Expand("{{rand:alnum:3}}8Q~{{rand:alnum:31}}") : null)),
                < 78 => ($"deploy/project{project}/values-{files}.yaml", Yaml(random, seed ? template.Expand("sk_live_{{rand:alnum:24}}") : null)),
                < 84 => ($"src/Project{project}/web{files}.config", WebConfig(random, seed ? template.Expand("{{rand:alnum:20}}") : null)),
                < 92 => ($"docs/project{project}/page{files}.md", Markdown(random)),
                _ => ($"web/project{project}/module{files}.js", JavaScript(random, seed ? template.Expand("xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}") : null)),
            };
            if (seed)
            {
                seeded++;
            }

            string full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            bytes += Encoding.UTF8.GetByteCount(content);
            files++;
        }

        File.WriteAllText(marker, $"{expected}\n{files} {bytes} {seeded}\n");
        return (files, bytes, seeded);
    }

    private static readonly string[] Words =
    [
        "customer", "order", "invoice", "token", "client", "request", "response", "handler", "cache", "tenant",
        "payment", "retry", "policy", "options", "settings", "logger", "metrics", "session", "identity", "scope",
        "secret", "password", "key", "user", "account", "service", "queue", "message", "batch", "report",
    ];

    private static string Word(Random r) => Words[r.Next(Words.Length)];

    private static string Pascal(Random r) => string.Concat(Enumerable.Range(0, 2).Select(_ => { string w = Word(r); return char.ToUpperInvariant(w[0]) + w[1..]; }));

    private static string CSharpFile(Random r, int n, string? secret)
    {
        var sb = new StringBuilder();
        sb.Append("using System;\nusing System.Collections.Generic;\nusing System.Net.Http;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.Configuration;\nusing Microsoft.Extensions.Logging;\n\n");
        sb.Append($"namespace Contoso.Project{n / 400}.Services;\n\n/// <summary>Handles {Word(r)} {Word(r)} for the {Word(r)} pipeline.</summary>\n");
        sb.Append($"public sealed class Service{n}\n{{\n    private readonly ILogger<Service{n}> _logger;\n    private readonly IConfiguration _configuration;\n    private readonly HttpClient _http;\n\n");
        int methods = 6 + r.Next(20);
        for (int m = 0; m < methods; m++)
        {
            string name = Pascal(r);
            sb.Append($"    public async Task<{Pascal(r)}Result> {name}Async(string {Word(r)}Id, int {Word(r)}Count)\n    {{\n");
            sb.Append($"        _logger.LogInformation(\"Processing {{Id}} with {Word(r)} {Word(r)}\", {Word(r)}Id);\n");
            sb.Append($"        var {Word(r)}Key = _configuration[\"{Pascal(r)}:{Pascal(r)}\"] ?? throw new InvalidOperationException(\"missing {Word(r)}\");\n");
            sb.Append($"        var response = await _http.GetAsync($\"/api/{Word(r)}/{{{Word(r)}Id}}?count={{{Word(r)}Count}}\");\n");
            sb.Append($"        if (!response.IsSuccessStatusCode)\n        {{\n            _logger.LogWarning(\"{Word(r)} failed: {{Status}}\", response.StatusCode);\n            return {Pascal(r)}Result.Failed(\"{Guid.NewGuid()}\");\n        }}\n\n");
            sb.Append($"        // {Word(r)} the {Word(r)} before the {Word(r)} is {Word(r)}ed.\n        return new {Pascal(r)}Result(await response.Content.ReadAsStringAsync());\n    }}\n\n");
            if (secret is not null && m == methods / 2)
            {
                sb.Append($"    private const string GitHubToken = \"{secret}\";\n\n");
            }
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static string AppSettings(Random r, string? secret)
    {
        var sb = new StringBuilder("{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\", \"Microsoft.AspNetCore\": \"Warning\" } },\n");
        sb.Append($"  \"AzureAd\": {{\n    \"Instance\": \"https://login.microsoftonline.com/\",\n    \"TenantId\": \"{Guid.NewGuid()}\",\n    \"ClientId\": \"{Guid.NewGuid()}\",\n    \"ClientSecret\": \"{secret ?? ""}\"\n  }},\n");
        for (int i = 0; i < 30 + r.Next(60); i++)
        {
            sb.Append($"  \"{Pascal(r)}{i}\": {{ \"Url\": \"https://{Word(r)}.contoso.com/{Word(r)}\", \"TimeoutSeconds\": {r.Next(1, 120)}, \"Enabled\": true }},\n");
        }

        sb.Append("  \"AllowedHosts\": \"*\"\n}\n");
        return sb.ToString();
    }

    private static string Yaml(Random r, string? secret)
    {
        var sb = new StringBuilder("replicaCount: 2\nimage:\n  repository: contoso/api\n  tag: \"1.4.2\"\nenv:\n");
        for (int i = 0; i < 40 + r.Next(80); i++)
        {
            sb.Append($"  - name: {Word(r).ToUpperInvariant()}_{Word(r).ToUpperInvariant()}_{i}\n    value: \"{Word(r)}-{r.Next(1000)}\"\n");
        }

        if (secret is not null)
        {
            sb.Append($"  - name: STRIPE_KEY\n    value: \"{secret}\"\n");
        }

        return sb.ToString();
    }

    private static string WebConfig(Random r, string? secret)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n");
        for (int i = 0; i < 20 + r.Next(40); i++)
        {
            sb.Append($"    <add key=\"{Pascal(r)}{i}\" value=\"{Word(r)}-{r.Next(100)}\" />\n");
        }

        sb.Append("  </appSettings>\n  <connectionStrings>\n");
        string password = secret is null ? "" : $";Password={secret}";
        sb.Append($"    <add name=\"Default\" connectionString=\"Server=tcp:sql.contoso.com;Database={Word(r)};User Id=app{password}\" />\n");
        sb.Append("  </connectionStrings>\n</configuration>\n");
        return sb.ToString();
    }

    private static string Markdown(Random r)
    {
        var sb = new StringBuilder($"# {Pascal(r)}\n\n");
        for (int i = 0; i < 30 + r.Next(60); i++)
        {
            sb.Append($"The {Word(r)} {Word(r)} sends a {Word(r)} to the {Word(r)} service; set `{Pascal(r)}` in the {Word(r)} settings.\n");
        }

        return sb.ToString();
    }

    private static string JavaScript(Random r, string? secret)
    {
        var sb = new StringBuilder("'use strict';\nconst axios = require('axios');\n\n");
        for (int i = 0; i < 20 + r.Next(40); i++)
        {
            sb.Append($"export async function {Word(r)}{Pascal(r)}{i}({Word(r)}, {Word(r)}) {{\n  const res = await axios.get(`/api/${{{Word(r)}}}/{Word(r)}`, {{ timeout: {r.Next(100, 9000)} }});\n  return res.data.{Word(r)};\n}}\n\n");
        }

        if (secret is not null)
        {
            sb.Append($"const slackToken = '{secret}';\n");
        }

        return sb.ToString();
    }
}
