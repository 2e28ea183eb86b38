using System.Text.Json;
using Lepton.Cli.Serve;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lepton.Cli.Tests.Serve;

/// <summary>Issue 12, logs: timestamped JSON lines, and no per-request lines from ASP.NET Core at Information.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeLoggingTests
{
    [Fact]
    public void ConfigureLogging_WritesTimestampedJsonLines_AndKeepsAspNetCoreRequestLinesForDebug()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging(ServeHost.ConfigureLogging);
            using (var sp = services.BuildServiceProvider())
            {
                var factory = sp.GetRequiredService<ILoggerFactory>();
                factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting HTTP/1.1 POST /filter");
                factory.CreateLogger("Lepton.Extender").LogInformation("bound {Pod}", "default/p");
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var timestamp = json.RootElement.GetProperty("Timestamp").GetString();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
        Assert.Equal("Lepton.Extender", json.RootElement.GetProperty("Category").GetString());
    }
}
