using System.Diagnostics;
using System.Text.Json;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Scenarios;
using MmFuzz.Strategies;
using MmFuzz.Search;
using MmFuzz.Schedules;
using MmFuzz.Reports;

namespace MmFuzz.Cli;

/// <summary>A command-line error: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
