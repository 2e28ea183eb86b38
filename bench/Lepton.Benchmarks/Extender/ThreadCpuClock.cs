using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), for the harness's
/// <c>--clock cpu</c>: on a shared machine it leaves out the time the thread waited for a core.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether the clock works here (Linux only).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The thread's CPU time in <see cref="Stopwatch"/> ticks.</summary>
    /// <returns>The timestamp.</returns>
    public static long GetTimestamp()
    {
        _ = ClockGetTime(ClockThreadCpuTimeId, out var ts);
        var nanos = (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
        return nanos * Stopwatch.Frequency / 1_000_000_000L;
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, which the
    // benchmark project does not enable; a blittable out struct marshals the same either way.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
