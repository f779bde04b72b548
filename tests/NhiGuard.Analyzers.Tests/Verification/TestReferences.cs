using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using NhiGuard.TestSupport;

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
        var references = new List<MetadataReference>();
        foreach (string pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            IReadOnlyList<string> files = ReferenceAssemblies.Pack(pack)
                ?? throw new InvalidOperationException($"no {pack} reference pack for the running runtime");
            references.AddRange(files.Select(f => MetadataReference.CreateFromFile(f)));
        }

        return references.ToImmutableArray();
    }

    private static ImmutableArray<MetadataReference> LoadSdks() =>
        ReferenceAssemblies.Closure(SdkAnchors).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();

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
