using NUnit.Framework;
using PuppeteerSharp;

namespace MmFuzz.Tests;

/// <summary>
/// One headless Chromium (Debian's, through PuppeteerSharp and the DevTools protocol) for every page
/// the browser tests render: started by the first of them, shut down after the last. A page is a tab:
/// the DOM after its load event (what <c>--dump-dom</c> prints) or a screenshot of its first screen.
/// Starting the browser once instead of three times per page is most of the browser tests' time.
/// </summary>
[SetUpFixture]
public sealed class Browser
{
    /// <summary>How long one page may take to load or draw.</summary>
    const int TimeoutMs = 90_000;

    static readonly SemaphoreSlim Gate = new(1, 1);
    static IBrowser? browser;

    /// <summary>The DOM of <paramref name="url"/> once it has loaded and its scripts have run.</summary>
    public static Task<string> Dom(string chromium, string url) => WithinDeadline($"loading {url}", async () =>
    {
        await using var page = await NewPage(chromium);
        await page.GoToAsync(url, WaitUntilNavigation.Load);
        return await page.GetContentAsync();
    });

    /// <summary>A PNG of <paramref name="url"/>'s first <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static Task Screenshot(string chromium, string url, string png, int width, int height) => WithinDeadline($"a screenshot of {url}", async () =>
    {
        await using var page = await NewPage(chromium);
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        await page.GoToAsync(url, WaitUntilNavigation.Load);
        await page.ScreenshotAsync(png, new ScreenshotOptions { Type = ScreenshotType.Png });
        return true;
    });

    /// <summary>Runs one render with the whole of it (tab, load, dump or screenshot, close) bounded by <see cref="TimeoutMs"/>.</summary>
    static async Task<T> WithinDeadline<T>(string what, Func<Task<T>> render)
    {
        try
        {
            return await render().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"chromium: {what} did not finish within {TimeoutMs / 1000} s");
            throw;
        }
    }

    static async Task<IPage> NewPage(string chromium)
    {
        IBrowser current;
        await Gate.WaitAsync();
        try
        {
            // A browser that crashed or went away is started again, so one bad page fails one test.
            if (browser is not { IsConnected: true })
                browser = await Puppeteer.LaunchAsync(new LaunchOptions
                {
                    ExecutablePath = chromium,
                    Headless = true,
                    Timeout = TimeoutMs,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                });
            current = browser;
        }
        finally
        {
            Gate.Release();
        }
        var page = await current.NewPageAsync();
        page.DefaultTimeout = TimeoutMs;
        page.DefaultNavigationTimeout = TimeoutMs;
        return page;
    }

    /// <summary>Shuts the browser down after the last test of the assembly.</summary>
    [OneTimeTearDown]
    public async Task ShutDown()
    {
        if (browser is { } b)
            await b.CloseAsync().WaitAsync(TimeSpan.FromMilliseconds(TimeoutMs));
        browser = null;
    }
}
