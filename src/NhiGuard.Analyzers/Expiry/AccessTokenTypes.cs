using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>An SDK's access token: the type that carries it, the member holding the token string, and the members that tell its expiry.</summary>
internal sealed record AccessTokenKind(string Type, string TokenMember, ImmutableArray<string> ExpiryMembers)
{
    public string TypeName => Type.Substring(Type.LastIndexOf('.') + 1);

    public string Source => $"{TypeName}.{TokenMember}";

    public static readonly ImmutableArray<AccessTokenKind> All = ImmutableArray.Create(
        new AccessTokenKind("Microsoft.Identity.Client.AuthenticationResult", "AccessToken", ImmutableArray.Create("ExpiresOn", "ExtendedExpiresOn")),
        new AccessTokenKind("Azure.Core.AccessToken", "Token", ImmutableArray.Create("ExpiresOn", "RefreshOn")),
        new AccessTokenKind("IdentityModel.Client.TokenResponse", "AccessToken", ImmutableArray.Create("ExpiresIn")),
        new AccessTokenKind("Duende.IdentityModel.Client.TokenResponse", "AccessToken", ImmutableArray.Create("ExpiresIn")));
}

/// <summary>The access token kinds whose types a compilation references.</summary>
internal sealed class AccessTokenTypes
{
    private readonly Dictionary<INamedTypeSymbol, AccessTokenKind> _byType;

    private AccessTokenTypes(Dictionary<INamedTypeSymbol, AccessTokenKind> byType) => _byType = byType;

    public static AccessTokenTypes? Resolve(Compilation compilation)
    {
        var byType = new Dictionary<INamedTypeSymbol, AccessTokenKind>(SymbolEqualityComparer.Default);
        foreach (AccessTokenKind kind in AccessTokenKind.All)
        {
            foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(kind.Type))
            {
                byType[type] = kind;
            }
        }

        return byType.Count == 0 ? null : new AccessTokenTypes(byType);
    }

    /// <summary>The kind whose token-carrying type <paramref name="type"/> is.</summary>
    public AccessTokenKind? KindOf(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && _byType.TryGetValue(named.OriginalDefinition, out AccessTokenKind? kind) ? kind : null;

    /// <summary>Whether <paramref name="property"/> is a kind's token string (<c>AuthenticationResult.AccessToken</c>).</summary>
    public AccessTokenKind? TokenStringOf(IPropertySymbol property) =>
        KindOf(property.ContainingType) is { } kind && property.Name == kind.TokenMember ? kind : null;

    /// <summary>Whether <paramref name="property"/> tells a kind's expiry (<c>ExpiresOn</c>, <c>RefreshOn</c>, <c>ExpiresIn</c>).</summary>
    public AccessTokenKind? ExpiryOf(IPropertySymbol property) =>
        KindOf(property.ContainingType) is { } kind && kind.ExpiryMembers.Contains(property.Name) ? kind : null;

    public static readonly ImmutableHashSet<string> ExpiryNames = AccessTokenKind.All.SelectMany(k => k.ExpiryMembers).ToImmutableHashSet();
}
