using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>
/// What test code compiles against: the reference assemblies of the running runtime (and of
/// ASP.NET Core), the real SDK packages this project references, and the stub SDKs.
/// </summary>
internal static class TestReferences
{
    // One representative type per real SDK; their assemblies and everything those reference
    // outside the framework are loaded from this project's output.
    private static readonly Type[] SdkAnchors =
    {
        typeof(Microsoft.Identity.Client.ConfidentialClientApplicationBuilder),
        typeof(Azure.Identity.ClientSecretCredential),
        typeof(Azure.Core.TokenCredential),
        typeof(Microsoft.IdentityModel.Tokens.SymmetricSecurityKey),
        typeof(Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler),
        typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler),
        typeof(Google.Apis.Auth.OAuth2.GoogleCredential),
        typeof(Amazon.Runtime.BasicAWSCredentials),
        typeof(Microsoft.Graph.GraphServiceClient),
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(LoadFramework);
    private static readonly Lazy<ImmutableArray<MetadataReference>> Sdks = new(LoadSdks);
    private static readonly Lazy<MetadataReference> StubReference = new(CompileStubs);

    /// <summary>The runtime, ASP.NET Core, the real SDKs and the stubs.</summary>
    public static ImmutableArray<MetadataReference> Get() =>
        Framework.Value.AddRange(Sdks.Value).Add(StubReference.Value);

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/10.0.x/ -> .../dotnet/packs/<pack>.Ref/10.0.x/ref/net10.0
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string version = Path.GetFileName(Path.TrimEndingDirectorySeparator(runtimeDirectory));
        var references = new List<MetadataReference>();
        foreach (string pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            string folder = RefFolder(Path.Combine(dotnetRoot, "packs", pack), version)
                ?? throw new InvalidOperationException($"no {pack} reference pack under {dotnetRoot}/packs");
            references.AddRange(Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).Select(f => MetadataReference.CreateFromFile(f)));
        }

        return references.ToImmutableArray();
    }

    // The pack of the running runtime's version, else the newest of the same major version.
    private static string? RefFolder(string packRoot, string runtimeVersion)
    {
        if (!Directory.Exists(packRoot))
        {
            return null;
        }

        string major = runtimeVersion.Split('.')[0];
        string tfm = $"net{major}.0";
        return Directory.GetDirectories(packRoot)
            .Where(d => Path.GetFileName(d).StartsWith(major + ".", StringComparison.Ordinal))
            .OrderByDescending(d => Path.GetFileName(d) == runtimeVersion)
            .ThenByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : new Version())
            .Select(d => Path.Combine(d, "ref", tfm))
            .FirstOrDefault(Directory.Exists);
    }

    private static ImmutableArray<MetadataReference> LoadSdks()
    {
        string frameworkDirectory = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<Assembly>(SdkAnchors.Select(t => t.Assembly));
        var paths = new List<string>();
        while (queue.Count > 0)
        {
            Assembly assembly = queue.Dequeue();
            if (!seen.Add(assembly.GetName().Name!) || assembly.Location.Length == 0 || assembly.Location.StartsWith(frameworkDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            paths.Add(assembly.Location);
            foreach (AssemblyName name in assembly.GetReferencedAssemblies())
            {
                try
                {
                    queue.Enqueue(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // An optional dependency this project does not carry; the test code does not need it.
                }
            }
        }

        return paths.Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    private static MetadataReference CompileStubs()
    {
        Assembly self = typeof(TestReferences).Assembly;
        var trees = self.GetManifestResourceNames()
            .Where(n => n.StartsWith("Stubs.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(self.GetManifestResourceStream(n)!);
                return CSharpSyntaxTree.ParseText(reader.ReadToEnd(), TestCompilation.ParseOptions, path: n);
            })
            .ToArray();
        CSharpCompilation stubs = CSharpCompilation.Create(
            "NhiGuard.TestStubs",
            trees,
            Framework.Value.AddRange(Sdks.Value),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        EmitResult result = stubs.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("the stub SDKs do not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
