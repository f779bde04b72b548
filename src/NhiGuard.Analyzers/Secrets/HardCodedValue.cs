using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>
/// A value written in the code, found by following a sink's argument back through the
/// operations that build it.
/// </summary>
/// <param name="Syntax">
/// Where the value is written: the literal (or the expression that combines literals), in the
/// declaration of the constant, field or local it came through. Diagnostics go there.
/// </param>
/// <param name="Text">The string the value evaluates to, when it is one (null for raw bytes).</param>
internal sealed record HardCodedValue(SyntaxNode Syntax, string? Text)
{
    private const int MaxDepth = 8;

    /// <summary>
    /// Follows <paramref name="operation"/> to a value written in the code: a literal, a constant,
    /// a <c>static readonly</c> field or a never-reassigned local initialised from one, or a
    /// concatenation, interpolation, <c>Encoding.GetBytes</c>, base64 conversion, byte array or
    /// UTF-8 literal of such. Parameters, configuration, the environment and any other call are
    /// not hard-coded. Of <c>a ?? b</c> and <c>c ? a : b</c> a hard-coded branch is reported.
    /// </summary>
    public static HardCodedValue? Find(IOperation operation, SemanticModel model, CancellationToken cancellationToken) =>
        Find(operation, model, cancellationToken, 0);

    private static HardCodedValue? Find(IOperation? operation, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return Find(conversion.Operand, model, cancellationToken, depth + 1);
            case IParenthesizedOperation parenthesized:
                return Find(parenthesized.Operand, model, cancellationToken, depth + 1);
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }:
                return new HardCodedValue(operation.Syntax, text);
            case IUtf8StringOperation utf8:
                return new HardCodedValue(operation.Syntax, utf8.Value);
            case IFieldReferenceOperation fieldReference:
                return FromField(fieldReference, model, cancellationToken, depth);
            case ILocalReferenceOperation localReference:
                return FromLocal(localReference.Local, model, cancellationToken, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                return Combine(operation.Syntax, new[] { binary.LeftOperand, binary.RightOperand }, model, cancellationToken, depth);
            case IInterpolatedStringOperation interpolated:
                return FromInterpolation(interpolated, model, cancellationToken, depth);
            case IInvocationOperation invocation:
                return FromInvocation(invocation, model, cancellationToken, depth);
            case IArrayCreationOperation array:
                return FromByteArray(array);
            case ICoalesceOperation coalesce:
                return Find(coalesce.WhenNull, model, cancellationToken, depth + 1);
            case IConditionalOperation conditional when conditional.WhenFalse is not null:
                return Find(conditional.WhenTrue, model, cancellationToken, depth + 1) ?? Find(conditional.WhenFalse, model, cancellationToken, depth + 1);
            default:
                return null;
        }
    }

    private static HardCodedValue? FromField(IFieldReferenceOperation reference, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        IFieldSymbol field = reference.Field;
        if (!field.IsConst && !(field.IsStatic && field.IsReadOnly))
        {
            return null;
        }

        if (Declarator(field, cancellationToken) is not { Initializer: { } initializer })
        {
            // A constant from a referenced assembly: its value is known, its declaration is not ours.
            return field.IsConst && field.ConstantValue is string text ? new HardCodedValue(reference.Syntax, text) : null;
        }

        // A declaration in this tree is followed like any expression; one in another file only when
        // it is a plain literal, since its semantic model is not ours to ask.
        if (initializer.SyntaxTree == model.SyntaxTree)
        {
            return Find(model.GetOperation(initializer.Value, cancellationToken), model, cancellationToken, depth + 1);
        }

        return initializer.Value is LiteralExpressionSyntax literal && literal.Token.Value is string value
            ? new HardCodedValue(literal, value)
            : field.IsConst && field.ConstantValue is string constant ? new HardCodedValue(reference.Syntax, constant) : null;
    }

    private static HardCodedValue? FromLocal(ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken, int depth) =>
        LocalInitializer(local, model, cancellationToken) is { } initializer ? Find(initializer, model, cancellationToken, depth + 1) : null;

    /// <summary>
    /// The expression a constant, a <c>static readonly</c> field (declared in this tree) or a
    /// never-reassigned local was initialised with; null for anything that can change.
    /// </summary>
    public static IOperation? InitializerOf(IOperation reference, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (reference)
        {
            case IFieldReferenceOperation { Field: var field } when field.IsConst || (field.IsStatic && field.IsReadOnly):
                return Declarator(field, cancellationToken) is { Initializer: { } initializer } && initializer.SyntaxTree == model.SyntaxTree
                    ? model.GetOperation(initializer.Value, cancellationToken)
                    : null;
            case ILocalReferenceOperation { Local: var local }:
                return LocalInitializer(local, model, cancellationToken);
            default:
                return null;
        }
    }

    private static IOperation? LocalInitializer(ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        if (local.IsRef || Declarator(local, cancellationToken) is not { Initializer: { } initializer } declarator)
        {
            return null;
        }

        return local.IsConst || !IsReassigned(declarator, local.Name) ? model.GetOperation(initializer.Value, cancellationToken) : null;
    }

    private static VariableDeclaratorSyntax? Declarator(ISymbol symbol, CancellationToken cancellationToken) =>
        symbol.DeclaringSyntaxReferences.Length == 1 ? symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) as VariableDeclaratorSyntax : null;

    // Any assignment, ref/out use or deconstruction of the name in the local's scope; by name, so a
    // shadowing lambda parameter errs towards "reassigned" (no finding).
    private static bool IsReassigned(VariableDeclaratorSyntax declarator, string name)
    {
        SyntaxNode? scope = declarator.Ancestors().FirstOrDefault(n => n is BlockSyntax or SwitchSectionSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return true;
        }

        foreach (SyntaxNode node in scope.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax assignment when Mentions(assignment.Left, name):
                case ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None } argument when Mentions(argument.Expression, name):
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression } address when Mentions(address.Operand, name):
                    return true;
            }
        }

        return false;
    }

    private static bool Mentions(SyntaxNode node, string name) =>
        node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name);

    private static HardCodedValue? Combine(SyntaxNode syntax, IOperation[] parts, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        var text = new StringBuilder();
        foreach (IOperation part in parts)
        {
            if (part.ConstantValue is { HasValue: true, Value: null })
            {
                continue;
            }

            if (Find(part, model, cancellationToken, depth + 1) is not { Text: { } partText })
            {
                return null;
            }

            text.Append(partText);
        }

        return new HardCodedValue(syntax, text.ToString());
    }

    private static HardCodedValue? FromInterpolation(IInterpolatedStringOperation interpolated, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        var text = new StringBuilder();
        foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string literal } }:
                    text.Append(literal);
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null } hole when Find(hole.Expression, model, cancellationToken, depth + 1) is { Text: { } holeText }:
                    text.Append(holeText);
                    break;
                default:
                    return null;
            }
        }

        return new HardCodedValue(interpolated.Syntax, text.ToString());
    }

    // Encoding.X.GetBytes(s), Convert.FromBase64String(s), Convert.ToBase64String(b), "..."u8.ToArray(),
    // string.Concat(a, b): they only change the form of a value written in the code.
    private static HardCodedValue? FromInvocation(IInvocationOperation invocation, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        IMethodSymbol method = invocation.TargetMethod;
        string? type = method.ContainingType?.ToDisplayString();
        IOperation? single = invocation.Arguments.Length == 1 ? invocation.Arguments[0].Value : null;
        switch (type, method.Name)
        {
            case ("System.Text.Encoding", "GetBytes") when single is not null:
            case ("System.Convert", "FromBase64String"):
            case ("System.Convert", "ToBase64String") when single is not null:
                return Find(single ?? invocation.Arguments[0].Value, model, cancellationToken, depth + 1);
            case ("string", "Concat"):
                return invocation.Arguments.Length > 0 && invocation.Arguments.All(a => a.ArgumentKind == ArgumentKind.Explicit)
                    ? Combine(invocation.Syntax, invocation.Arguments.Select(a => a.Value).ToArray(), model, cancellationToken, depth)
                    : null;
            case ("System.ReadOnlySpan<byte>", "ToArray"):
                return Find(invocation.Instance, model, cancellationToken, depth + 1);
            default:
                return method.Name == "GetBytes" && IsEncoding(method.ContainingType) && single is not null
                    ? Find(single, model, cancellationToken, depth + 1)
                    : null;
        }
    }

    private static bool IsEncoding(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.Name == "Encoding" && t.ContainingNamespace?.ToDisplayString() == "System.Text")
            {
                return true;
            }
        }

        return false;
    }

    // new byte[] { 0x01, ... } with every element a constant; new byte[32] alone is filled later.
    private static HardCodedValue? FromByteArray(IArrayCreationOperation array)
    {
        if (array.Initializer is not { ElementValues.Length: > 0 } initializer
            || (array.Type as IArrayTypeSymbol)?.ElementType.SpecialType != SpecialType.System_Byte
            || initializer.ElementValues.Any(e => !e.ConstantValue.HasValue))
        {
            return null;
        }

        return new HardCodedValue(array.Syntax, null);
    }
}
