using Microsoft.Extensions.Options;

namespace Lepton.Operator.LeaderElection;

/// <summary>Checks the timing invariants of <see cref="LeaderElectionOptions"/> (client-go's <c>NewLeaderElector</c> checks).</summary>
public sealed class LeaderElectionOptionsValidator : IValidateOptions<LeaderElectionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LeaderElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RenewDeadline >= options.LeaseDuration)
        {
            failures.Add($"RenewDeadline ({options.RenewDeadline}) must be shorter than LeaseDuration ({options.LeaseDuration}).");
        }

        if (options.RetryPeriod >= options.RenewDeadline)
        {
            failures.Add($"RetryPeriod ({options.RetryPeriod}) must be shorter than RenewDeadline ({options.RenewDeadline}).");
        }

        if (options.LeaseDuration.TotalSeconds != Math.Floor(options.LeaseDuration.TotalSeconds))
        {
            failures.Add($"LeaseDuration ({options.LeaseDuration}) must be whole seconds (leaseDurationSeconds is an integer).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
