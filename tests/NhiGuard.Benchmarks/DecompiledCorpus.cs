using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp.ProjectDecompiler;
using ICSharpCode.Decompiler.Metadata;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NhiGuard.Benchmarks;

/// <summary>
/// A large body of real C# for the analyzers benchmark: identity SDKs and other libraries from
/// the NuGet cache, decompiled one file per type with ICSharpCode.Decompiler into a cache folder
/// (done once; later runs read the files). Each assembly becomes its own project, compiled against
/// the framework reference pack and its dependencies' DLLs from the cache, under its own name and
/// public key so the InternalsVisibleTo of its siblings still grants it their internals.
/// </summary>
internal static class DecompiledCorpus
{
    // Bumped when the list or the decompiler settings change, so a stale cache is not reused.
    public const int Version = 1;

    /// <summary>(package, assembly): OAuth and token SDKs first, then general libraries full of literals.</summary>
    private static readonly (string Package, string Assembly)[] Assemblies =
    [
        ("microsoft.identity.client", "Microsoft.Identity.Client"),
        ("microsoft.identity.client.extensions.msal", "Microsoft.Identity.Client.Extensions.Msal"),
        ("azure.identity", "Azure.Identity"),
        ("azure.core", "Azure.Core"),
        ("system.clientmodel", "System.ClientModel"),
        ("microsoft.identitymodel.tokens", "Microsoft.IdentityModel.Tokens"),
        ("microsoft.identitymodel.jsonwebtokens", "Microsoft.IdentityModel.JsonWebTokens"),
        ("system.identitymodel.tokens.jwt", "System.IdentityModel.Tokens.Jwt"),
        ("microsoft.identitymodel.logging", "Microsoft.IdentityModel.Logging"),
        ("microsoft.identitymodel.protocols", "Microsoft.IdentityModel.Protocols"),
        ("microsoft.identitymodel.protocols.openidconnect", "Microsoft.IdentityModel.Protocols.OpenIdConnect"),
        ("google.apis.auth", "Google.Apis.Auth"),
        ("google.apis.core", "Google.Apis.Core"),
        ("google.apis", "Google.Apis"),
        ("awssdk.core", "AWSSDK.Core"),
        ("microsoft.kiota.abstractions", "Microsoft.Kiota.Abstractions"),
        ("microsoft.kiota.http.httpclientlibrary", "Microsoft.Kiota.Http.HttpClientLibrary"),
        ("microsoft.graph.core", "Microsoft.Graph.Core"),
        ("yamldotnet", "YamlDotNet"),
        ("system.commandline", "System.CommandLine"),
        ("spectre.console", "Spectre.Console"),
        ("newtonsoft.json", "Newtonsoft.Json"),
    ];

    // Newest first; the framework's own reference pack stands in for anything it carries.
    private static readonly string[] FrameworkPreference = ["net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0"];

    public sealed record Project(string Name, List<(string Path, string Text)> Sources, ImmutableArray<MetadataReference> References, CSharpCompilationOptions Options);

    public static string DefaultCacheDirectory => Path.Combine(Path.GetTempPath(), $"nhiguard-decompiled-v{Version}");

    /// <summary>The projects, decompiling into <paramref name="cacheDirectory"/> what is not there yet.</summary>
    public static List<Project> Load(string cacheDirectory, ImmutableArray<string> frameworkReferences, CSharpCompilationOptions baseOptions, TextWriter log)
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var frameworkNames = frameworkReferences.Select(p => Path.GetFileNameWithoutExtension(p)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string> cache = IndexPackages(packages);
        var projects = new List<Project>();
        foreach ((string package, string assemblyName) in Assemblies)
        {
            if (!cache.TryGetValue(assemblyName, out string? dll))
            {
                log.WriteLine($"  {assemblyName}: not in {packages}, skipped");
                continue;
            }

            string target = Path.Combine(cacheDirectory, assemblyName);
            if (!File.Exists(Path.Combine(target, ".complete")))
            {
                Decompile(dll, target, cache, log);
            }

            var dependencies = Dependencies(dll, cache, frameworkNames);
            var references = frameworkReferences.Concat(dependencies)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray();
            var sources = Directory.EnumerateFiles(target, "*.cs", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(p => (p, File.ReadAllText(p)))
                .ToList();
            if (sources.Count == 0)
            {
                // Azure.Identity on some feeds is a stub of a few types with no bodies.
                log.WriteLine($"  {assemblyName}: no source decompiled from {dll}, skipped");
                continue;
            }

            projects.Add(new Project(assemblyName, sources, references, OptionsFor(dll, baseOptions)));
        }

        return projects;
    }

    /// <summary>
    /// Leaves out the files with compiler errors of their own, as long as that lowers the project's
    /// errors (a left-out type can break the files that use it), so what is timed is binding correct code.
    /// </summary>
    public static Project WithoutBrokenFiles(Project project, Func<Project, CSharpCompilation> compile, TextWriter log, out int errorsBefore, out int dropped)
    {
        List<Diagnostic> errors = Errors(compile(project));
        errorsBefore = errors.Count;
        dropped = 0;
        Project kept = project;
        for (int round = 0; round < 3 && errors.Count > 0; round++)
        {
            var broken = errors.Select(e => e.Location.SourceTree?.FilePath).OfType<string>().ToHashSet(StringComparer.Ordinal);
            Project trial = kept with { Sources = kept.Sources.Where(s => !broken.Contains(s.Path)).ToList() };
            List<Diagnostic> trialErrors = Errors(compile(trial));
            if (trialErrors.Count >= errors.Count)
            {
                break;
            }

            dropped += broken.Count;
            kept = trial;
            errors = trialErrors;
        }

        if (errorsBefore > 0)
        {
            string common = string.Join(", ", errors.GroupBy(e => e.Id).OrderByDescending(g => g.Count()).Take(4).Select(g => $"{g.Key} x{g.Count()}"));
            log.WriteLine($"  {project.Name}: {errorsBefore} errors, {dropped} files left out, {errors.Count} errors left{(errors.Count > 0 ? $" ({common})" : "")}");
        }

        return kept;
    }

    private static List<Diagnostic> Errors(CSharpCompilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    private static CSharpCompilationOptions OptionsFor(string dll, CSharpCompilationOptions baseOptions)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        ImmutableArray<byte> publicKey = metadata.GetBlobContent(metadata.GetAssemblyDefinition().PublicKey);
        var options = baseOptions.WithAllowUnsafe(true);
        // Public-signed with the original key: a sibling's InternalsVisibleTo names that key.
        return publicKey.IsEmpty ? options : options.WithPublicSign(true).WithCryptoPublicKey(publicKey);
    }

    private static void Decompile(string dll, string target, Dictionary<string, string> cache, TextWriter log)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var module = new PEFile(dll, PEStreamOptions.PrefetchEntireImage);
        var resolver = new UniversalAssemblyResolver(dll, false, module.DetectTargetFrameworkId());
        foreach (string directory in cache.Values.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            resolver.AddSearchDirectory(directory);
        }

        var settings = new DecompilerSettings(ICSharpCode.Decompiler.CSharp.LanguageVersion.CSharp12_0)
        {
            ThrowOnAssemblyResolveErrors = false,
            UseSdkStyleProjectFormat = true,
        };
        var decompiler = new WholeProjectDecompiler(settings, resolver, null, null, null);
        decompiler.DecompileProject(module, target);
        // Only the C# is wanted: no project file, resources or assembly attributes (those re-declare the signature).
        foreach (string file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".cs", StringComparison.Ordinal) || Path.GetFileName(f) == "AssemblyInfo.cs").ToList())
        {
            File.Delete(file);
        }

        File.WriteAllText(Path.Combine(target, ".complete"), dll);
        log.WriteLine($"  decompiled {Path.GetFileName(dll)} in {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>Assembly name to the DLL of the newest package version, for the newest framework it targets.</summary>
    private static Dictionary<string, string> IndexPackages(string packages)
    {
        var index = new Dictionary<string, (System.Version Version, int Rank, string Path)>(StringComparer.OrdinalIgnoreCase);
        if (!Directory.Exists(packages))
        {
            return [];
        }

        foreach (string versionDirectory in Directory.EnumerateDirectories(packages).SelectMany(Directory.EnumerateDirectories))
        {
            if (!System.Version.TryParse(Path.GetFileName(versionDirectory).Split('-')[0], out System.Version? version))
            {
                continue;
            }

            for (int rank = 0; rank < FrameworkPreference.Length; rank++)
            {
                string lib = Path.Combine(versionDirectory, "lib", FrameworkPreference[rank]);
                if (!Directory.Exists(lib))
                {
                    continue;
                }

                foreach (string dll in Directory.EnumerateFiles(lib, "*.dll"))
                {
                    string name = Path.GetFileNameWithoutExtension(dll);
                    if (!index.TryGetValue(name, out var known) || version > known.Version || (version == known.Version && rank < known.Rank))
                    {
                        index[name] = (version, rank, dll);
                    }
                }

                break;
            }
        }

        return index.ToDictionary(e => e.Key, e => e.Value.Path, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The DLLs <paramref name="dll"/> references, transitively, that the framework does not carry.</summary>
    private static List<string> Dependencies(string dll, Dictionary<string, string> cache, HashSet<string> frameworkNames)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Path.GetFileNameWithoutExtension(dll) };
        var queue = new Queue<string>([dll]);
        while (queue.Count > 0)
        {
            using var stream = File.OpenRead(queue.Dequeue());
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
            {
                string name = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
                if (frameworkNames.Contains(name) || !seen.Add(name) || !cache.TryGetValue(name, out string? path))
                {
                    continue;
                }

                result.Add(path);
                queue.Enqueue(path);
            }
        }

        return result;
    }
}
