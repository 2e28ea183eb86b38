using System.ComponentModel.DataAnnotations;
using Lepton.Operator.Controllers.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Controllers;

/// <summary>
/// Validates each controller's <see cref="ControllerOptions"/>, nested rate limiter included, and names the
/// offending configuration key in every failure (<c>Lepton:Controllers:{name}:Workers: ...</c>). Given the
/// configuration it also refuses keys that are no controller setting (a typo would otherwise be ignored) and
/// the flat keys of old, where <c>Lepton:Controllers:Workers</c> applied to every controller.
/// </summary>
/// <param name="configuration">The configuration the options were bound from; null skips the key checks.</param>
public sealed class ControllerOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<ControllerOptions>
{
    private static readonly string[] SettingNames = [nameof(ControllerOptions.Workers), nameof(ControllerOptions.ResyncPeriod), nameof(ControllerOptions.RateLimiter)];

    private static readonly string[] RateLimiterSettingNames =
        [nameof(WorkQueueRateLimiterOptions.BaseDelay), nameof(WorkQueueRateLimiterOptions.MaxDelay), nameof(WorkQueueRateLimiterOptions.Qps), nameof(WorkQueueRateLimiterOptions.Burst)];

    /// <summary>Gets whether <paramref name="controllerName"/> is also the name of a setting, so its section would read as a flat key of old.</summary>
    /// <param name="controllerName">A controller name.</param>
    /// <returns>True for <c>Workers</c>, <c>ResyncPeriod</c>, <c>RateLimiter</c> in any case.</returns>
    internal static bool IsSettingName(string controllerName) => SettingNames.Contains(controllerName, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = string.IsNullOrEmpty(name) ? ControllerOptions.SectionName : ControllerOptions.SectionFor(name);
        var failures = new List<string>();
        AddFailures(failures, section, options);
        if (options.RateLimiter is { } limiter)
        {
            var limiterSection = $"{section}:{nameof(ControllerOptions.RateLimiter)}";
            AddFailures(failures, limiterSection, limiter);
            if (limiter.MaxDelay < limiter.BaseDelay)
            {
                failures.Add($"{limiterSection}:{nameof(limiter.MaxDelay)}: must not be shorter than {nameof(limiter.BaseDelay)} ({limiter.BaseDelay}).");
            }
        }

        if (configuration is not null)
        {
            AddUnknownKeys(failures, configuration.GetSection(section), SettingNames);
            AddUnknownKeys(failures, configuration.GetSection($"{section}:{nameof(ControllerOptions.RateLimiter)}"), RateLimiterSettingNames);
            foreach (var flat in configuration.GetSection(ControllerOptions.SectionName).GetChildren().Where(c => IsSettingName(c.Key)))
            {
                failures.Add($"{flat.Path}: controller settings are per controller; write {ControllerOptions.SectionName}:{{controller name}}:{flat.Key} instead.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddFailures(List<string> failures, string section, object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            failures.Add(member is null ? $"{section}: {result.ErrorMessage}" : $"{section}:{member}: {result.ErrorMessage}");
        }
    }

    private static void AddUnknownKeys(List<string> failures, IConfigurationSection section, string[] known)
    {
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"{child.Path}: not a controller setting (known: {string.Join(", ", known)}).");
        }
    }
}
