using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>NHI003: a token signing key written in the code (a string, its bytes, or a byte array).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardCodedSigningKeyAnalyzer : HardCodedValueAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.HardCodedSigningKey;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.SecretsCategory);

    public HardCodedSigningKeyAnalyzer()
        : base(Rule, SecretSinks.SigningKeys)
    {
    }
}
