using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Controllers;

/// <summary>Validates <see cref="ControllerOptions"/> including its nested rate limiter settings.</summary>
public sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (options.RateLimiter is { } limiter)
        {
            Validator.TryValidateObject(limiter, new ValidationContext(limiter), results, validateAllProperties: true);
            if (limiter.MaxDelay < limiter.BaseDelay)
            {
                results.Add(new ValidationResult("RateLimiter.MaxDelay must not be shorter than RateLimiter.BaseDelay."));
            }
        }

        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"Controller options '{name}': {r.ErrorMessage}"));
    }
}
