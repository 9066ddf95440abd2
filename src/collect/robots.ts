/**
 * robots.txt, read once per site with robots-parser; its Crawl-delay spaces our requests (one
 * longer than MAX_WAIT_SECONDS refuses the site). A missing file (4xx) allows everything; one
 * that cannot be read (5xx, no connection) allows nothing, as the major crawlers do.
 */
import robotsModule from 'robots-parser';
import { type Fetcher, MAX_WAIT_SECONDS } from './fetcher.ts';

// The package is CommonJS (module.exports = the function) but its types declare a default
// export, which NodeNext resolution reads as a property of the module.
const robotsParser = robotsModule as unknown as typeof robotsModule.default;

export const ROBOTS_AGENT = 'disclosure-collect';

const UNREADABLE_ROBOTS = 'could not be read';

/**
 * Whether a refusal is a robots.txt that could not be read (site down, no connection): the site
 * was never asked, which a run reports as a failure, not as the site's wish.
 */
export const isUnreadableRobots = (refusal: string): boolean => refusal.includes(` ${UNREADABLE_ROBOTS} (`);

export class Robots {
  private readonly sites = new Map<string, Promise<(url: string) => string | null>>();

  constructor(private readonly fetcher: Fetcher) {}

  /** Why the URL must not be fetched, or null when it may. */
  async refusal(url: string): Promise<string | null> {
    // A host the fetcher refuses is not asked for its robots.txt either (that would be the very
    // request refused); the fetch then fails, saying why.
    if (await this.fetcher.refusal(url)) return null;
    const origin = new URL(url).origin;
    let rules = this.sites.get(origin);
    if (!rules) {
      rules = this.load(origin);
      this.sites.set(origin, rules);
    }
    return (await rules)(url);
  }

  private async load(origin: string): Promise<(url: string) => string | null> {
    const robotsUrl = `${origin}/robots.txt`;
    const result = await this.fetcher.fetch(robotsUrl);
    if (result.kind === 'body') {
      const robot = robotsParser(robotsUrl, new TextDecoder().decode(result.bytes));
      const crawlDelay = robot.getCrawlDelay(ROBOTS_AGENT);
      // Going faster than a site asks is not polite, and waiting longer than a Retry-After is
      // obeyed would leave a run hanging on one site: like such a Retry-After, it fails the links.
      if (crawlDelay !== undefined && crawlDelay > MAX_WAIT_SECONDS)
        return () =>
          `${robotsUrl} asks for a Crawl-delay of ${crawlDelay} s between requests, more than collect waits (${MAX_WAIT_SECONDS} s)`;
      if (crawlDelay !== undefined && crawlDelay > 0) this.fetcher.crawlDelay(robotsUrl, crawlDelay);
      return (url) =>
        robot.isDisallowed(url, ROBOTS_AGENT)
          ? `disallowed by ${robotsUrl} (line ${robot.getMatchingLineNumber(url, ROBOTS_AGENT)})`
          : null;
    }
    if (result.kind === 'failed' && result.status !== undefined && result.status < 500) return () => null;
    const why = result.kind === 'failed' ? result.reason : 'no answer';
    return () => `${robotsUrl} ${UNREADABLE_ROBOTS} (${why}), so the site allows nothing`;
  }
}
