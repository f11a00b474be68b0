import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createWorld, type World } from './world.ts';
import { seedDemo, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';

const CHROMIUM = '/usr/bin/chromium';
// Debian's Chromium as root, headless, with the background traffic this closed network refuses turned off
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserWorld {
  world: World;
  browser: Browser;
  baseUrl: string;
  /** Signs a demo user in through the login form and waits for the shell. */
  signIn(page: Page, email: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database with the demo network, the built app on a free port, and Chromium. */
export async function startBrowserWorld(prepare?: (world: World) => Promise<void>): Promise<BrowserWorld> {
  if (!fs.existsSync('dist/web/index.html'))
    throw new Error('dist/web is missing: run `vite build` first (npm test does)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const world = await createWorld();
  await seedDemo(world.owner);
  await prepare?.(world);
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    world,
    browser,
    baseUrl,
    async signIn(page, email) {
      await page.goto(`${baseUrl}/`);
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    },
    async close() {
      await browser.close();
      await world.close();
    },
  };
}

/**
 * The suite's browser world, registered once per file: started before its tests (after `prepare` ran on the
 * fresh database) and closed after them. Its parts are read through the returned object once it has started.
 */
export function useBrowserWorld(prepare?: (world: World) => Promise<void>) {
  let current: BrowserWorld | undefined;
  beforeAll(async () => {
    current = await startBrowserWorld(prepare);
  });
  afterAll(() => current?.close());
  const started = () => {
    if (!current) throw new Error('the browser world has not started (use it inside tests or hooks)');
    return current;
  };
  return {
    get world() {
      return started().world;
    },
    get browser() {
      return started().browser;
    },
    get baseUrl() {
      return started().baseUrl;
    },
    signIn: (page: Page, email: string) => started().signIn(page, email),
  };
}
