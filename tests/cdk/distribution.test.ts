import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build.js';
import { ContextError } from '../../cdk/context.js';
import { SETTINGS } from '../../lambdas/seedfeed/config.js';
import { cdkContext, synth } from './synth.js';

describe('the distribution settings in the stack', () => {
  it('reach the function as SEEDFEED_EXCERPT_ONLY and SEEDFEED_NEWS_PUBLICATION_NAME', () => {
    // Act
    const { template } = synth({ excerptOnly: 'true', newsPublicationName: 'The Example Times' });
    const publisher = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Runtime === 'nodejs22.x',
    );

    // Assess
    expect(publisher?.Properties.Environment.Variables).toMatchObject({
      [SETTINGS.excerptOnly.env]: 'true',
      [SETTINGS.newsPublicationName.env]: 'The Example Times',
    });
  });

  it('fail synth on a value the function would refuse', () => {
    // Act
    let error: unknown;
    try {
      buildApp({ context: cdkContext({ excerptOnly: 'sometimes', 'aws:cdk:bundling-stacks': [] }) });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ContextError);
    expect((error as Error).message).toContain(
      'context "excerptOnly" must be true or false (got "sometimes")',
    );
  });
});
