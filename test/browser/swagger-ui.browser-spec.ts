import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { Factories } from '../support/factories.js';
import { type OtherMachine, otherMachine } from '../support/netns.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Swagger UI in a real browser: /docs shows Onezone's documented descriptions
 * and examples, and "Create a new space" runs from the page, authorised with a
 * user token through the UI, answering 201 with a Location: from this
 * machine, and from another one over plain HTTP.
 */
/**
 * Opens /docs at `base`, authorises with the token through the UI and runs
 * "Create a new space" from the page; returns the new space's id. Console
 * errors and page errors are collected into `failures`.
 */
async function createSpaceFromPage(browser: Browser, base: string, token: string, failures: string[], screenshot?: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.on('console', (message) => message.type() === 'error' && failures.push(message.text()));
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(`${base}/docs`);

  const operation = page.locator('#operations-User-createUserSpace');
  await operation.waitFor();
  await expect(operation.locator('.opblock-summary-description').textContent()).resolves.toBe('Create a new space');

  // Authorise with the user's token (the bearer scheme).
  await page.getByRole('button', { name: 'Authorize' }).first().click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  const bearer = dialog.locator('.auth-container', { has: page.locator('#auth-bearer-value') });
  await bearer.locator('#auth-bearer-value').fill(token);
  await bearer.getByRole('button', { name: 'Apply credentials' }).click();
  await expect(dialog.getByRole('button', { name: 'Remove authorization' }).first().isVisible()).resolves.toBe(true);
  await dialog.locator('button.btn-done').first().click();

  // Onezone's documented description and example are on the page.
  await operation.locator('.opblock-summary').click();
  await expect(operation.locator('.opblock-description-wrapper').first().textContent()).resolves.toContain(
    'Creates a new space as current user.',
  );
  await operation.getByRole('button', { name: 'Try it out' }).click();
  const body = operation.locator('textarea.body-param__text');
  await expect(body.inputValue()).resolves.toContain('My Private space');
  await body.fill('{"name": "From the browser"}');
  await operation.getByRole('button', { name: 'Execute' }).click();

  const answer = operation.locator('.live-responses-table .response');
  await answer.waitFor();
  await expect(answer.locator('.response-col_status').textContent()).resolves.toContain('201');
  const headers = (await answer.locator('.response-col_description').textContent()) ?? '';
  const location = /location:\s*(\S+)/i.exec(headers)?.[1];
  expect(location).toMatch(new RegExp(`^${PREFIX}/user/spaces/[0-9a-f]{32}$`));

  if (screenshot) {
    // The picture is the operation: the request sent and the 201 with its Location.
    await mkdir('test-artifacts', { recursive: true });
    const from = (await operation.boundingBox())!;
    const to = (await answer.boundingBox())!;
    const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
    await page.screenshot({
      path: screenshot,
      fullPage: true,
      clip: { x: 0, y: from.y + scrollY, width: page.viewportSize()!.width, height: to.y + to.height - from.y + 16 },
    });
  }
  await page.close();
  return location!.split('/').pop()!;
}

describe('Swagger UI in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let user: { userId: string; token: string };

  beforeAll(async () => {
    t = await startApp(await testEnv());
    user = await new Factories(t.http, t.env.ADMIN_TOKEN).user();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await disposeEnv(t.env);
  });

  it('authorises through the UI and creates a space from the page', async () => {
    const failures: string[] = [];
    const spaceId = await createSpaceFromPage(
      browser,
      await t.app.getUrl(),
      user.token,
      failures,
      'test-artifacts/swagger-ui-create-space.png',
    );
    const space = await t.prisma.space.findUnique({ where: { id: spaceId } });
    expect(space?.name).toBe('From the browser');
    expect(failures).toEqual([]);
  });
});

describe('Swagger UI from another machine, over plain HTTP', () => {
  let t: TestApp;
  let other: OtherMachine;
  let browser: Browser;

  beforeAll(async () => {
    other = await otherMachine();
    t = await startApp(await testEnv(), undefined, other.hostAddress);
    browser = await chromium.launch({ executablePath: await other.wrap(CHROMIUM), args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (t) await disposeEnv(t.env);
    await other?.dispose();
  });

  it('works at a non-loopback address: nothing sends the browser to HTTPS', async () => {
    const user = await new Factories(t.http, t.env.ADMIN_TOKEN).user();
    const port = new URL(await t.app.getUrl()).port;
    const failures: string[] = [];
    const spaceId = await createSpaceFromPage(browser, `http://${other.hostAddress}:${port}`, user.token, failures);
    expect((await t.prisma.space.findUnique({ where: { id: spaceId } }))?.name).toBe('From the browser');
    expect(failures).toEqual([]);
  });
});
