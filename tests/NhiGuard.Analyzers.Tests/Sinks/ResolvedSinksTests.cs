using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NhiGuard.Analyzers.Sinks;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Sinks;

/// <summary>The sink table bound to a compilation: what costs nothing, and what syntax is worth a question.</summary>
public sealed class ResolvedSinksTests
{
    [Fact]
    public void ACompilationWithoutTheSdkHasNoSinks()
    {
        // Only the core library: no Microsoft.IdentityModel.Tokens, so NHI003 registers nothing.
        var compilation = CSharpCompilation.Create("Bare", references: new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });

        Assert.Null(ResolvedSinks.Resolve(compilation, SecretSinks.SigningKeys));
    }

    [Fact]
    public void EveryTableEntryResolvesAgainstTheRealSdksAndStubs()
    {
        var compilation = TestCompilation.Create(Array.Empty<(string, string)>());
        string[] missing = SecretSinks.Credentials.Concat(SecretSinks.SigningKeys)
            .Select(s => s.Type)
            .Distinct()
            .Where(t => !compilation.GetTypesByMetadataName(t).Any())
            .ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryMemberInTheTableExists()
    {
        var compilation = TestCompilation.Create(Array.Empty<(string, string)>());
        var absent = new List<string>();
        foreach (Sink sink in SecretSinks.Credentials.Concat(SecretSinks.SigningKeys))
        {
            INamedTypeSymbol type = compilation.GetTypesByMetadataName(sink.Type).First();
            // Inherited members count: AzureKeyCredential.Update is declared on its base in newer Azure.Core.
            IEnumerable<ISymbol> members = sink.Member == Sink.Constructor
                ? type.GetMembers(".ctor")
                : BaseTypesAndSelf(type).SelectMany(t => t.GetMembers(sink.Member));
            bool found = sink.IsProperty
                ? members.OfType<IPropertySymbol>().Any(p => p.SetMethod is not null)
                : members.OfType<IMethodSymbol>().Any(m => m.Parameters.Any(p => p.Name == sink.Parameter));
            if (!found)
            {
                absent.Add(sink.DisplayName);
            }
        }

        Assert.Empty(absent);
    }

    private static IEnumerable<INamedTypeSymbol> BaseTypesAndSelf(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            yield return t;
        }
    }

    [Theory]
    [InlineData("builder.WithClientSecret(\"abc\")", true)]
    [InlineData("builder.WithClientSecret(configuration[\"Secret\"])", false)]
    [InlineData("builder.WithClientSecret(GetSecret())", false)]
    [InlineData("builder.WithClientSecret(Secrets.Value)", true)]
    [InlineData("builder.WithRedirectUri(\"abc\")", false)]
    [InlineData("new NetworkCredential(\"svc\", \"pw\")", true)]
    [InlineData("new System.Net.NetworkCredential(user, password)", true)]
    [InlineData("new StringBuilder(\"abc\")", false)]
    [InlineData("new(\"svc\", \"pw\")", true)]
    [InlineData("new(user, options.Password)", true)]
    [InlineData("new()", false)]
    [InlineData("headers.Add(\"X-Api-Key\", key)", true)]
    [InlineData("headers.Add(HeaderNames.Authorization, value)", true)]
    [InlineData("headers.Add(\"Accept\", \"application/json\")", false)]
    [InlineData("list.Add(\"item\")", false)]
    [InlineData("list.Add(item)", false)]
    [InlineData("http.GetAsync(url)", false)]
    [InlineData("http.GetAsync(\"https://api.test/v1?q=oslo\")", true)]
    [InlineData("http.GetAsync($\"https://api.test/v1?q={city}\")", true)]
    public void OnlyCandidatesReachTheSemanticModel(string expression, bool candidate)
    {
        var compilation = TestCompilation.Create(Array.Empty<(string, string)>());
        ResolvedSinks sinks = ResolvedSinks.Resolve(compilation, SecretSinks.Credentials)!;
        ExpressionSyntax node = SyntaxFactory.ParseExpression(expression);

        Assert.Equal(candidate, sinks.IsCandidate(node));
    }
}
