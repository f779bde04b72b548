using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NhiGuard.Analyzers.Secrets;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>Durations written in the code: <c>TimeSpan.FromHours(1)</c>, <c>DateTime.UtcNow.AddDays(30)</c>.</summary>
internal static class ConstantDuration
{
    private const int MaxDepth = 8;

    /// <summary>The value of a <c>TimeSpan</c> expression built from constants, if it is one.</summary>
    public static TimeSpan? Of(IOperation? operation, SemanticModel model, CancellationToken cancellationToken, int depth = 0)
    {
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return Of(conversion.Operand, model, cancellationToken, depth + 1);
            case IFieldReferenceOperation { Field: { Name: "MaxValue", ContainingType.Name: "TimeSpan" } }:
                return TimeSpan.MaxValue;
            case IFieldReferenceOperation or ILocalReferenceOperation:
                return Of(HardCodedValue.InitializerOf(operation, model, cancellationToken), model, cancellationToken, depth + 1);
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } method } invocation when method.Name.StartsWith("From", StringComparison.Ordinal):
                return Sum(invocation.Arguments, method.Name.Substring(4));
            case IObjectCreationOperation { Type.Name: "TimeSpan" } creation:
                return Sum(creation.Arguments, null);
            default:
                return null;
        }
    }

    /// <summary>How far in the future a <c>DateTime</c>/<c>DateTimeOffset</c> expression lies when it is "now" plus constants.</summary>
    public static TimeSpan? FromNow(IOperation? operation, SemanticModel model, CancellationToken cancellationToken, int depth = 0)
    {
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return FromNow(conversion.Operand, model, cancellationToken, depth + 1);
            case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "UtcNow" or "Now" or "Today", ContainingType.Name: "DateTime" or "DateTimeOffset" } }:
                return TimeSpan.Zero;
            case IInvocationOperation { TargetMethod.Name: "GetUtcNow" or "GetLocalNow", TargetMethod.ContainingType.Name: "TimeProvider" }:
                return TimeSpan.Zero;
            case IInvocationOperation { Instance: { } instance, Arguments.Length: 1 } add when add.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal):
                TimeSpan? start = FromNow(instance, model, cancellationToken, depth + 1);
                TimeSpan? delta = add.TargetMethod.Name == "Add"
                    ? Of(add.Arguments[0].Value, model, cancellationToken, depth + 1)
                    : Unit(add.TargetMethod.Name.Substring(3), Number(add.Arguments[0].Value));
                return start is { } s && delta is { } d ? Plus(s, d) : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                return FromNow(binary.LeftOperand, model, cancellationToken, depth + 1) is { } left && Of(binary.RightOperand, model, cancellationToken, depth + 1) is { } right
                    ? Plus(left, right)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>"5 minutes", "1 hour", "30 days", "TimeSpan.MaxValue".</summary>
    public static string Describe(TimeSpan value)
    {
        if (value == TimeSpan.MaxValue)
        {
            return "TimeSpan.MaxValue";
        }

        static string Plural(double n, string unit) => n.ToString("0.##", CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");
        return value.TotalDays >= 1 && value.TotalDays % 1 == 0 ? Plural(value.TotalDays, "day")
            : value.TotalHours >= 1 && value.TotalHours % 1 == 0 ? Plural(value.TotalHours, "hour")
            : value.TotalMinutes >= 1 && value.TotalMinutes % 1 == 0 ? Plural(value.TotalMinutes, "minute")
            : Plural(value.TotalSeconds, "second");
    }

    // TimeSpan.FromHours(2), FromMinutes(long minutes, long seconds = 0, ...), new TimeSpan(1, 30, 0):
    // each argument counts in the unit its parameter names.
    private static TimeSpan? Sum(ImmutableArray<IArgumentOperation> arguments, string? unitOfSingle)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (IArgumentOperation argument in arguments)
        {
            string unit = arguments.Length == 1 && unitOfSingle is not null ? unitOfSingle : argument.Parameter?.Name ?? "";
            if (Unit(unit, Number(argument.Value)) is not { } part)
            {
                return null;
            }

            total = Plus(total, part);
        }

        return total;
    }

    private static double? Number(IOperation value) =>
        value.ConstantValue is { HasValue: true, Value: { } v } && v is not string && v is not bool ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;

    private static TimeSpan? Unit(string unit, double? amount)
    {
        if (amount is not { } n)
        {
            return null;
        }

        double? days = unit.ToLowerInvariant() switch
        {
            "years" => n * 365,
            "months" => n * 30,
            "days" => n,
            "hours" => n / 24,
            "minutes" => n / 1440,
            "seconds" => n / 86400,
            "milliseconds" => n / 86_400_000,
            "microseconds" => n / 86_400_000_000,
            "ticks" => n / TimeSpan.TicksPerDay,
            _ => null,
        };
        if (days is not { } d)
        {
            return null;
        }

        return d * TimeSpan.TicksPerDay < long.MaxValue ? TimeSpan.FromTicks((long)Math.Round(d * TimeSpan.TicksPerDay)) : TimeSpan.MaxValue;
    }

    private static TimeSpan Plus(TimeSpan a, TimeSpan b) =>
        a == TimeSpan.MaxValue || b == TimeSpan.MaxValue || a.Ticks > long.MaxValue - b.Ticks ? TimeSpan.MaxValue : a + b;
}
