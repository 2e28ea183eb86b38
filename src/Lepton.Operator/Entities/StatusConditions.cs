using System.Text.RegularExpressions;
using k8s.Models;
using Lepton.Operator.Crds;

namespace Lepton.Operator.Entities;

/// <summary>
/// Helpers for lists of metav1.Condition, with apimachinery's <c>meta.SetStatusCondition</c>
/// semantics: <c>lastTransitionTime</c> moves only when <c>status</c> changes.
/// </summary>
public static partial class StatusConditions
{
    /// <summary>
    /// Adds or updates the condition of a type. Reason, message and observedGeneration are always
    /// updated; <c>lastTransitionTime</c> is set to now (whole seconds, as the API server stores
    /// it) only when the condition is new or its status changed. A message longer than metav1's
    /// 32768 characters is cut.
    /// </summary>
    /// <param name="conditions">The list to change.</param>
    /// <param name="type">The condition type (see <see cref="LeptonJobConditionTypes"/>).</param>
    /// <param name="status">True, False or Unknown (see <see cref="ConditionStatuses"/>).</param>
    /// <param name="reason">A CamelCase reason (see <see cref="LeptonJobConditionReasons"/>).</param>
    /// <param name="message">A human-readable message; may be empty.</param>
    /// <param name="observedGeneration">The metadata.generation the condition was computed from, or null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>True when the list changed.</returns>
    /// <exception cref="ArgumentException">The type, status or reason breaks metav1.Condition's rules.</exception>
    public static bool Set(
        IList<V1Condition> conditions,
        string type,
        string status,
        string reason,
        string? message,
        long? observedGeneration,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Validate(type, status, reason);
        message ??= string.Empty;
        if (message.Length > WellKnownSchemas.ConditionMessageMaxLength)
        {
            message = message[..WellKnownSchemas.ConditionMessageMaxLength];
        }

        var existing = Find(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = Now(timeProvider),
            });
            return true;
        }

        var changed = false;
        if (!string.Equals(existing.Status, status, StringComparison.Ordinal))
        {
            existing.Status = status;
            existing.LastTransitionTime = Now(timeProvider);
            changed = true;
        }

        if (!string.Equals(existing.Reason, reason, StringComparison.Ordinal))
        {
            existing.Reason = reason;
            changed = true;
        }

        if (!string.Equals(existing.Message, message, StringComparison.Ordinal))
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        if (existing.LastTransitionTime == default)
        {
            existing.LastTransitionTime = Now(timeProvider);
            changed = true;
        }

        return changed;
    }

    /// <summary>The condition of a type, or null.</summary>
    /// <param name="conditions">The list, or null.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>The condition.</returns>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>Whether the condition of a type exists with status True.</summary>
    /// <param name="conditions">The list, or null.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>True when the condition is True.</returns>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        string.Equals(Find(conditions, type)?.Status, ConditionStatuses.True, StringComparison.Ordinal);

    /// <summary>Removes the condition of a type.</summary>
    /// <param name="conditions">The list.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>True when a condition was removed.</returns>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    private static void Validate(string type, string status, string reason)
    {
        if (string.IsNullOrEmpty(type) || type.Length > WellKnownSchemas.ConditionTypeMaxLength || !TypePattern().IsMatch(type))
        {
            throw new ArgumentException($"Condition type '{type}' does not match metav1.Condition's type rules.", nameof(type));
        }

        if (!ConditionStatuses.All.Contains(status, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Condition status '{status}' is not True, False or Unknown.", nameof(status));
        }

        if (string.IsNullOrEmpty(reason) || reason.Length > WellKnownSchemas.ConditionReasonMaxLength || !ReasonPattern().IsMatch(reason))
        {
            throw new ArgumentException($"Condition reason '{reason}' is not a CamelCase identifier (metav1.Condition reason rules).", nameof(reason));
        }
    }

    private static DateTime Now(TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    [GeneratedRegex(WellKnownSchemas.ConditionTypePattern, RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    [GeneratedRegex(WellKnownSchemas.ConditionReasonPattern, RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();
}
