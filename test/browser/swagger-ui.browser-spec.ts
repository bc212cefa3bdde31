import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { Factories } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Swagger UI in a real browser: /docs shows the seeds' descriptions and
 * examples, and "Create a new space" runs from the page, authorised with a
 * user token through the UI, answering 201 with a Location.
 */
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const failures: string[] = [];
    page.on('console', (message) => message.type() === 'error' && failures.push(message.text()));
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${await t.app.getUrl()}/docs`);

    const operation = page.locator('#operations-User-createUserSpace');
    await operation.waitFor();
    await expect(operation.locator('.opblock-summary-description').textContent()).resolves.toBe('Create a new space');

    // Authorise with the user's token (the bearer scheme).
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    const bearer = dialog.locator('.auth-container', { has: page.locator('#auth-bearer-value') });
    await bearer.locator('#auth-bearer-value').fill(user.token);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await expect(dialog.getByRole('button', { name: 'Remove authorization' }).first().isVisible()).resolves.toBe(true);
    await dialog.locator('button.btn-done').first().click();

    // The seed's description and example are on the page.
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
    const spaceId = location!.split('/').pop()!;
    const space = await t.prisma.space.findUnique({ where: { id: spaceId } });
    expect(space?.name).toBe('From the browser');

    // The picture is the operation: the request sent and the 201 with its Location.
    await mkdir('test-artifacts', { recursive: true });
    const from = (await operation.boundingBox())!;
    const to = (await answer.boundingBox())!;
    const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
    await page.screenshot({
      path: 'test-artifacts/swagger-ui-create-space.png',
      fullPage: true,
      clip: { x: 0, y: from.y + scrollY, width: page.viewportSize()!.width, height: to.y + to.height - from.y + 16 },
    });
    expect(failures).toEqual([]);
  });
});
