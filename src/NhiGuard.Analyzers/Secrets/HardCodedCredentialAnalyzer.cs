using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>NHI001: a credential written in the code reaches an authentication sink.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardCodedCredentialAnalyzer : HardCodedValueAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.HardCodedCredential;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.SecretsCategory);

    public HardCodedCredentialAnalyzer()
        : base(Rule, SecretSinks.Credentials)
    {
    }
}
